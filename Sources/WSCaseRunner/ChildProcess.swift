import Dispatch
import Foundation
import NIOConcurrencyHelpers
import WSResults

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A shell command run as a child process in its own process group (so that ending it ends
/// everything it started), stdin from /dev/null, stdout and stderr kept within bounds.
package final class ChildProcess: Sendable {
    package let command: String
    package let pid: pid_t
    package let started: ContinuousClock.Instant
    private let output = NIOLockedValueBox((stdout: BoundedOutput(), stderr: BoundedOutput()))
    private let exit = NIOLockedValueBox(ExitState())
    private struct ExitState {
        var status: Int32?
        var signal: Int32?
        var done = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextToken = 0
    }
    private let readers = DispatchGroup()
    private static let spawnLock = NIOLock()

    /// Starts `/bin/sh -c command`.
    package init(command: String) throws {
        self.command = command
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        // Close-on-exec, and one spawn at a time: a child started meanwhile by another case must not
        // hold these pipes open (the reader would not see the end of the output until that child
        // exits); dup2 in the child clears the flag on its own stdout and stderr.
        Self.spawnLock.lock()
        defer { Self.spawnLock.unlock() }
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw ChildProcessError("pipe: \(String(cString: strerror(errno)))") }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group: a kill reaches the shell's children too.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { for p in argv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, environ)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw ChildProcessError("cannot start /bin/sh: \(String(cString: strerror(rc)))")
        }
        pid = child
        started = .now
        drain(outPipe[0], stdout: true)
        drain(errPipe[0], stdout: false)
        let pid = child
        // Blocking calls get threads of their own: on Linux the global dispatch queues are as wide
        // as the machine and also run Swift's cooperative pool, which a blocked read would starve.
        Self.detach { [exit, readers] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            // The output is complete once both pipes reached their end (bounded: a grandchild that
            // keeps them open is in the killed group too).
            _ = readers.wait(timeout: .now() + 2)
            let code: Int32? = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil
            let sig: Int32? = (status & 0x7F) != 0 ? status & 0x7F : nil
            let waiters = exit.withLockedValue { e -> [CheckedContinuation<Void, Never>] in
                e.status = code
                e.signal = sig
                e.done = true
                defer { e.waiters = [:] }
                return Array(e.waiters.values)
            }
            for w in waiters { w.resume() }
        }
    }

    private func drain(_ fd: Int32, stdout: Bool) {
        readers.enter()
        Self.detach { [output, readers] in
            var buffer = [UInt8](repeating: 0, count: 16384)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                let chunk = Array(buffer[0..<n])
                output.withLockedValue { if stdout { $0.stdout.append(chunk) } else { $0.stderr.append(chunk) } }
            }
            close(fd)
            readers.leave()
        }
    }

    private static func detach(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = 1 << 18
        thread.start()
    }

    package var hasExited: Bool { exit.withLockedValue { $0.done } }

    /// Returns once the process has exited, or when the waiting task is cancelled.
    package func waitForExit() async {
        let token = exit.withLockedValue { e -> Int in
            defer { e.nextToken += 1 }
            return e.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = exit.withLockedValue { e -> Bool in
                    if e.done || Task.isCancelled { return true }
                    e.waiters[token] = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        } onCancel: {
            exit.withLockedValue { $0.waiters.removeValue(forKey: token) }?.resume()
        }
    }

    /// Waits at most `timeout` for the exit; true when it exited.
    package func waitForExit(timeout: Duration) async -> Bool {
        if hasExited { return true }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForExit() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        return hasExited
    }

    /// SIGTERM to the process group, then SIGKILL if it is still there after `grace`.
    package func terminate(grace: Duration = .seconds(1)) async {
        guard !hasExited else { return }
        kill(-pid, SIGTERM)
        if await waitForExit(timeout: grace) { return }
        kill(-pid, SIGKILL)
        await waitForExit()
    }

    /// The record of the run, once it has exited.
    package func record(connected: Bool, killed: Bool) -> ClientCommandRecord {
        let (status, signal) = exit.withLockedValue { ($0.status, $0.signal) }
        let out = output.withLockedValue { $0 }
        return ClientCommandRecord(command: command, connected: connected, exitStatus: status, signal: signal, killed: killed,
                                   wallTime: ContinuousClock.now - started, stdout: out.stdout, stderr: out.stderr)
    }
}

struct ChildProcessError: Error, CustomStringConvertible {
    package let description: String
    package init(_ d: String) { description = d }
}
