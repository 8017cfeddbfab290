//! The last source of the key: a prompt on the controlling terminal that
//! echoes nothing. Enter or Ctrl-D (end of input) ends it; Esc or Ctrl-C
//! cancels it.

use std::io::{self, IsTerminal, Write};

use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

/// A prompt with nothing echoed, or `None` when stdin or stderr is not a
/// terminal (scripts get an error instead).
pub fn terminal_prompt() -> Option<impl Fn() -> io::Result<String> + Sync> {
    (io::stdin().is_terminal() && io::stderr().is_terminal()).then_some(read_hidden)
}

fn read_hidden() -> io::Result<String> {
    let mut stderr = io::stderr();
    write!(stderr, "Brevo API key (not shown): ")?;
    stderr.flush()?;
    crossterm::terminal::enable_raw_mode()?;
    let result = collect_key(crossterm::event::read);
    let restored = crossterm::terminal::disable_raw_mode();
    writeln!(stderr)?;
    result.and_then(|key| restored.map(|()| key))
}

/// The key typed, from terminal events: what the prompt does, without a
/// terminal, so that it is tested.
pub fn collect_key(mut next: impl FnMut() -> io::Result<Event>) -> io::Result<String> {
    let cancelled = || io::Error::new(io::ErrorKind::Interrupted, "cancelled");
    let mut key = String::new();
    loop {
        match next()? {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                let control = k.modifiers.contains(KeyModifiers::CONTROL);
                match k.code {
                    KeyCode::Enter => return Ok(key),
                    // Ctrl-D is how a terminal says "end of input".
                    KeyCode::Char('d' | 'D') if control => return Ok(key),
                    KeyCode::Char('c' | 'C') if control => return Err(cancelled()),
                    KeyCode::Esc => return Err(cancelled()),
                    KeyCode::Backspace => {
                        key.pop();
                    }
                    // Other chords are not part of a key.
                    KeyCode::Char(_) if control => {}
                    KeyCode::Char(c) => key.push(c),
                    _ => {}
                }
            }
            Event::Paste(text) => key.push_str(&text),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyEvent;

    use super::*;

    fn typed(keys: Vec<KeyEvent>) -> io::Result<String> {
        let mut events = keys.into_iter().map(Event::Key);
        collect_key(move || {
            events
                .next()
                .ok_or_else(|| io::Error::other("ran out of keys"))
        })
    }

    fn ch(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn ctrl_d_ends_the_prompt_like_enter_and_is_not_part_of_the_key() {
        assert_eq!(typed(vec![ch('k'), ch('1'), ctrl('d')]).unwrap(), "k1");
        assert_eq!(typed(vec![ctrl('d')]).unwrap(), "");
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(
            typed(vec![ch('a'), ctrl('u'), ch('b'), enter]).unwrap(),
            "ab"
        );
        let backspace = KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE);
        assert_eq!(
            typed(vec![ch('a'), ch('x'), backspace, enter]).unwrap(),
            "a"
        );
        let error = typed(vec![ch('a'), ctrl('c')]).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::Interrupted);
    }
}
