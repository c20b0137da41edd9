import Dispatch
import Foundation

/// Ctrl-C during a run: the first SIGINT cancels the run (no new cases start, running ones are
/// aborted, results so far are written, exit 130); a second one exits at once.
final class InterruptHandler: @unchecked Sendable {
    private let source: any DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    /// - Parameter onFirst: called once, on the first SIGINT.
    init(onFirst: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            let n = self.lock.withLock { self.count += 1; return self.count }
            if n == 1 {
                FileHandle.standardError.write(Data("\nwsconform: interrupted; stopping (Ctrl-C again to quit at once)\n".utf8))
                onFirst()
            } else {
                exit(ExitStatus.interrupted)
            }
        }
        source.resume()
    }

    var interrupted: Bool { lock.withLock { count > 0 } }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
