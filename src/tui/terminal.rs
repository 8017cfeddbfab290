//! The real terminal's lifecycle: raw mode and the alternate screen on the
//! way in; restored on every way out — normal exit, error, panic (in any
//! thread or task), SIGTERM, SIGHUP, SIGINT, SIGQUIT — and around a suspend
//! (Ctrl-Z, or SIGTSTP from outside). Also what the event loop needs from
//! a backend beyond drawing ([`DashboardBackend`]), so that the loop and
//! the profile switch both take it from here.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
    enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use tokio::sync::mpsc;

/// Whether the terminal is in dashboard mode, so that restoring twice (a
/// signal during a panic, say) is harmless.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// What the loop needs from a backend beyond drawing.
pub trait DashboardBackend: Backend {
    /// Frames are wrapped in synchronized-update commands on a real
    /// terminal so that it never shows half a frame.
    fn begin_frame(&mut self) -> io::Result<()> {
        Ok(())
    }
    fn end_frame(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// A resize event arrived (a real terminal resizes itself).
    fn resized(&mut self, _width: u16, _height: u16) {}
    /// Ctrl-Z: give the terminal back, stop, and take it again on resume.
    fn suspend(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// Gives the terminal back while a profile's key is fetched, with a
    /// line saying why; `retake` takes it again.
    fn release(&mut self, _note: &str) -> io::Result<()> {
        Ok(())
    }
    fn retake(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl DashboardBackend for TestBackend {
    fn resized(&mut self, width: u16, height: u16) {
        self.resize(width, height);
    }
}

impl<W: Write> DashboardBackend for CrosstermBackend<W> {
    fn begin_frame(&mut self) -> io::Result<()> {
        crossterm::queue!(self, crossterm::terminal::BeginSynchronizedUpdate)
    }

    fn end_frame(&mut self) -> io::Result<()> {
        crossterm::execute!(self, EndSynchronizedUpdate)
    }

    fn suspend(&mut self) -> io::Result<()> {
        suspend(self)
    }

    fn release(&mut self, note: &str) -> io::Result<()> {
        release(self)?;
        // On stderr, where `pass` or the key prompt will ask next.
        eprintln!("brevo-users: {note}");
        Ok(())
    }

    fn retake(&mut self) -> io::Result<()> {
        enter(self)
    }
}

/// Clears the screen and forces a full redraw. `Terminal::clear` first asks
/// the terminal where its cursor is and fails when the answer takes longer
/// than two seconds — as it may over a slow SSH link. Resizing to the
/// current size clears just the same, with no question asked.
pub fn clear_without_round_trip<B>(terminal: &mut Terminal<B>) -> Result<(), B::Error>
where
    B: Backend,
{
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Raw mode, alternate screen, hidden cursor, and bracketed paste: a
/// pasted address arrives as one event, not as keys that could submit.
pub fn enter(out: &mut impl Write) -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(out, EnterAlternateScreen, EnableBracketedPaste, Hide)
}

/// Gives the terminal back. Errors are ignored: on a terminal that is
/// already gone (SIGHUP, EIO) there is nothing left to restore.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(
            io::stdout(),
            EndSynchronizedUpdate,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            Show
        );
        let _ = disable_raw_mode();
    }
}

/// Restores the terminal before any panic report is printed, then exits:
/// a panic inside a tokio task would otherwise leave the loop running on a
/// terminal in raw mode with the report scribbled over it. The report is
/// the hook installed before (color-eyre's, installed by `main`).
pub fn install_panic_hook() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        report(info);
        std::process::exit(101);
    }));
}

/// Requests to suspend the dashboard that came from outside (SIGTSTP), for
/// the event loop: only the loop may write to the screen, so it is the one
/// to give the terminal back, stop, and draw everything again on SIGCONT.
pub type SuspendRequests = mpsc::UnboundedReceiver<()>;

/// SIGTERM, SIGHUP, SIGINT and SIGQUIT restore the terminal and end the
/// program from the handler task itself: the loop may be waiting on a
/// terminal that is gone. (In raw mode Ctrl-C and Ctrl-\ are keys, so
/// SIGINT and SIGQUIT come from outside, `kill -INT` or a supervisor.)
/// The exit status is the shell's 128 + the signal's number.
///
/// SIGTSTP becomes a request to the loop while the dashboard holds the
/// terminal; otherwise (the terminal handed to a key command's passphrase
/// prompt, say) the process stops at once, as it would by default.
pub fn install_signal_handlers() -> io::Result<SuspendRequests> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut quit = signal(SignalKind::quit())?;
    let mut terminal_stop = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    tokio::spawn(async move {
        let signal = tokio::select! {
            _ = terminate.recv() => libc::SIGTERM,
            _ = hangup.recv() => libc::SIGHUP,
            _ = interrupt.recv() => libc::SIGINT,
            _ = quit.recv() => libc::SIGQUIT,
        };
        restore();
        std::process::exit(128 + signal);
    });
    let (requests, receiver) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while terminal_stop.recv().await.is_some() {
            // A request the loop will not see (it has ended) stops here too.
            if !ACTIVE.load(Ordering::SeqCst) || requests.send(()).is_err() {
                stop_until_continued();
            }
        }
    });
    Ok(receiver)
}

/// Gives the terminal back for a while (a profile's key command may ask
/// for a passphrase on it); `enter` takes it again.
pub fn release(out: &mut impl Write) -> io::Result<()> {
    execute!(out, DisableBracketedPaste, LeaveAlternateScreen, Show)?;
    disable_raw_mode()?;
    ACTIVE.store(false, Ordering::SeqCst);
    Ok(())
}

/// Ctrl-Z (a key in raw mode) or SIGTSTP from outside: give the terminal
/// back, stop the process as the shell expects, and take the terminal
/// again on `fg`. The caller draws the whole screen again.
pub fn suspend(out: &mut impl Write) -> io::Result<()> {
    release(out)?;
    stop_until_continued();
    enter(out)
}

/// SIGSTOP rather than SIGTSTP: SIGTSTP is caught (above), and the kernel
/// discards a default SIGTSTP in an orphaned process group, while SIGSTOP
/// always stops.
fn stop_until_continued() {
    // SAFETY: raise() has no memory-safety preconditions; SIGSTOP cannot
    // be caught, so the process stops here until SIGCONT.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}
