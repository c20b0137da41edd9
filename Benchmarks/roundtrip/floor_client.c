// The round-trip floor: the least a WebSocket client can do per round trip on this loopback.
// Opens one connection (fixed Sec-WebSocket-Key), then sends COUNT masked text frames of LEN
// octets one at a time, each after the previous echo came back whole, and prints the mean
// microseconds per round trip. No parsing beyond the 2-octet header of a short frame.
// Usage: floor_client PORT [COUNT [LEN]]   (LEN <= 125)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: floor_client PORT [COUNT [LEN]]\n"); return 2; }
    int port = atoi(argv[1]);
    int count = argc > 2 ? atoi(argv[2]) : 1000;
    int len = argc > 3 ? atoi(argv[3]) : 10;
    if (len < 0 || len > 125 || count < 1) { fprintf(stderr, "floor_client: LEN 0..125, COUNT >= 1\n"); return 2; }

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("floor_client: connect"); return 3; }

    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", port);
    if (write(fd, req, (size_t)n) != n) { perror("floor_client: write"); return 3; }
    // Read the response head octet by octet up to the blank line (nothing may follow it yet).
    char head[4096];
    size_t h = 0;
    while (h < sizeof head - 1) {
        if (read(fd, head + h, 1) != 1) { fprintf(stderr, "floor_client: no handshake response\n"); return 3; }
        h++;
        if (h >= 4 && memcmp(head + h - 4, "\r\n\r\n", 4) == 0) break;
    }
    head[h] = 0;
    if (strncmp(head, "HTTP/1.1 101", 12) != 0) { fprintf(stderr, "floor_client: refused: %.40s\n", head); return 3; }

    unsigned char frame[2 + 4 + 125], echo[2 + 125];
    frame[0] = 0x81;
    frame[1] = (unsigned char)(0x80 | len);
    memcpy(frame + 2, "\x37\xfa\x21\x3d", 4);
    for (int i = 0; i < len; i++) frame[6 + i] = (unsigned char)('a' + i % 26) ^ frame[2 + i % 4];

    double start = now_us();
    for (int i = 0; i < count; i++) {
        if (write(fd, frame, (size_t)(6 + len)) != 6 + len) { perror("floor_client: write"); return 3; }
        if (read_full(fd, echo, (size_t)(2 + len)) != 0) { fprintf(stderr, "floor_client: connection lost\n"); return 3; }
        if (echo[0] != 0x81 || echo[1] != len) { fprintf(stderr, "floor_client: unexpected echo header\n"); return 3; }
    }
    double per = (now_us() - start) / count;
    unsigned char close_frame[] = {0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8};
    (void)!write(fd, close_frame, sizeof close_frame);
    close(fd);
    printf("%.1f\n", per);
    return 0;
}
