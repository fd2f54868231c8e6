import CNcurses

/// Puts the terminal back in its normal mode however the process ends.
///
/// A crashed full-screen program leaves the user's shell without echo, in the alternate screen
/// and with mouse reporting on. The restore runs on normal exit, from `deinit`/`defer` on error
/// paths, from `atexit`, and from handlers for SIGINT/SIGTERM/SIGHUP and the crash signals
/// (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL; Swift traps arrive as SIGILL or SIGTRAP). A
/// handler restores the terminal and re-raises the signal with its default action, so the exit
/// status and core dumps are what they would have been. The restore runs at most once per
/// activation, whichever path gets there first.
public enum TerminalRestorer {
    /// 1 while curses owns the terminal. Raw memory rather than a Swift global so the signal
    /// handler can read it without touching Swift's lazy-initialisation machinery.
    nonisolated(unsafe) static let activeFlag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    nonisolated(unsafe) static let installedFlag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    nonisolated(unsafe) static let atexitFlag: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    /// Signals after which the terminal is restored before the process dies.
    public static let handledSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP]

    /// Whether curses currently owns the terminal.
    public static var isActive: Bool { onx_atomic_load(activeFlag) == 1 }

    /// Marks curses as active and installs the handlers (once).
    static func activate() {
        _ = activeFlag
        _ = installedFlag
        if onx_atomic_exchange(atexitFlag, 1) == 0 {
            atexit { TerminalRestorer.restore() }
        }
        _ = onx_atomic_exchange(activeFlag, 1)
        if onx_atomic_exchange(installedFlag, 1) == 0 {
            for sig in handledSignals { _ = onx_install_one_shot_handler(sig, restoreTerminalAndReraise) }
        }
    }

    /// Ends curses mode if it is active; safe to call any number of times from anywhere.
    public static func restore() {
        if onx_atomic_exchange(activeFlag, 0) == 1 {
            _ = onx_curs_set(1)
            _ = onx_endwin()
        }
        // Back to default actions once the terminal is ours again: a later Ctrl-C in a
        // non-interactive phase should behave as usual.
        if onx_atomic_exchange(installedFlag, 0) == 1 {
            for sig in handledSignals { _ = onx_reset_signal_to_default(sig) }
        }
    }
}

/// The signal handler. SA_RESETHAND has already put the default action back, so raising the
/// signal again ends the process the way the signal would have.
private func restoreTerminalAndReraise(_ sig: Int32) {
    if onx_atomic_exchange(TerminalRestorer.activeFlag, 0) == 1 {
        _ = onx_endwin()
    }
    raise(sig)
}
