// The echo-server floor: the least a WebSocket echo server can do per round trip on this
// loopback, to compare the bundled echo server with. One connection at a time, one thread,
// blocking I/O. It accepts only floor_client's fixed Sec-WebSocket-Key (so no SHA-1 is needed)
// and echoes unfragmented frames of up to 65535 octets; a Close is answered and ends the connection.
// Usage: floor_server PORT
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int read_full(int fd, unsigned char *buf, size_t n) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) return -1;
        got += (size_t)r;
    }
    return 0;
}

static void serve(int fd) {
    char head[8192];
    size_t h = 0;
    while (h < sizeof head - 1) {
        if (read(fd, head + h, 1) != 1) return;
        h++;
        if (h >= 4 && memcmp(head + h - 4, "\r\n\r\n", 4) == 0) break;
    }
    head[h] = 0;
    if (!strstr(head, "dGhlIHNhbXBsZSBub25jZQ==")) {
        const char *no = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        (void)!write(fd, no, strlen(no));
        return;
    }
    const char *ok = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
    if (write(fd, ok, strlen(ok)) < 0) return;
    static unsigned char in[65535 + 14], out[65535 + 4];
    for (;;) {
        if (read_full(fd, in, 2) != 0) return;
        size_t len = in[1] & 0x7f, off = 2;
        if (len == 126) {
            if (read_full(fd, in + 2, 2) != 0) return;
            len = (size_t)in[2] << 8 | in[3];
            off = 4;
        } else if (len == 127) {
            return;
        }
        unsigned char key[4];
        if (!(in[1] & 0x80) || read_full(fd, key, 4) != 0 || read_full(fd, in + off, len) != 0) return;
        size_t o = 0;
        out[o++] = in[0];
        if (len < 126) {
            out[o++] = (unsigned char)len;
        } else {
            out[o++] = 126;
            out[o++] = (unsigned char)(len >> 8);
            out[o++] = (unsigned char)len;
        }
        for (size_t i = 0; i < len; i++) out[o + i] = in[off + i] ^ key[i & 3];
        if (write(fd, out, o + len) < 0) return;
        if ((in[0] & 0x0f) == 8) return;
    }
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: floor_server PORT\n"); return 2; }
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(ls, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(ls, 16) != 0) { perror("floor_server"); return 3; }
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) continue;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        serve(fd);
        close(fd);
    }
}
