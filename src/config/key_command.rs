//! `api_key_command`: a list (`["pass", "show", "brevo/main"]`) or one
//! string (`"pass show brevo/main"`) split into words the way AWS's
//! `credential_process` is: quotes group words and a backslash escapes the
//! next character, and nothing else is special. No shell ever runs it, so
//! there are no variables, no `~`, no globs and no pipes.

/// Said with every mistake, so that the fix is in the message.
const FORMS: &str = "api_key_command is a program and its arguments, as one string \
     (api_key_command = \"pass show brevo/main\") or as a list \
     (api_key_command = [\"pass\", \"show\", \"brevo/main\"])";

/// Words a shell would treat as operators. Passed to a program they would
/// only confuse it, so they are refused with the way to get a shell.
const SHELL_OPERATORS: &[&str] = &["|", "||", "&", "&&", ";", "<", ">", ">>", "2>", "2>&1"];

/// The argv the file gives, or a sentence saying what is wrong.
pub fn argv(value: &toml::Value) -> Result<Vec<String>, String> {
    let argv = match value {
        toml::Value::String(line) => split_words(line)?,
        toml::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                toml::Value::String(word) => Ok(word.clone()),
                other => Err(format!(
                    "{FORMS}; item {} of the list is {}, not a string",
                    i + 1,
                    a_type(other)
                )),
            })
            .collect::<Result<_, _>>()?,
        other => return Err(format!("{FORMS}; this one is {}", a_type(other))),
    };
    if argv.first().is_none_or(|program| program.trim().is_empty()) {
        return Err(format!("api_key_command needs a program to run: {FORMS}"));
    }
    Ok(argv)
}

fn a_type(value: &toml::Value) -> String {
    let name = value.type_str();
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

/// Splits a command line into words: blanks separate words; `'…'` keeps
/// everything as written; `"…"` keeps everything but `\"` and `\\`; a
/// backslash outside quotes keeps the next character.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                (in_word, quoted) = (true, true);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(unclosed("a single quote (')")),
                    }
                }
            }
            '"' => {
                (in_word, quoted) = (true, true);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(unclosed("a double quote (\")")),
                        },
                        Some(c) => word.push(c),
                        None => return Err(unclosed("a double quote (\")")),
                    }
                }
            }
            '\\' => {
                (in_word, quoted) = (true, true);
                match chars.next() {
                    Some(c) => word.push(c),
                    None => {
                        return Err(format!(
                            "api_key_command ends with a backslash that escapes nothing: {FORMS}"
                        ));
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(finish(&mut word, quoted)?);
                    (in_word, quoted) = (false, false);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(finish(&mut word, quoted)?);
    }
    Ok(words)
}

fn finish(word: &mut String, quoted: bool) -> Result<String, String> {
    let word = std::mem::take(word);
    if !quoted && SHELL_OPERATORS.contains(&word.as_str()) {
        return Err(format!(
            "api_key_command runs without a shell, so {word:?} would reach the program as an \
             argument; for a pipeline or a redirection, run a shell yourself: \
             api_key_command = [\"sh\", \"-c\", \"pass show brevo/main | head -n 1\"]"
        ));
    }
    Ok(word)
}

fn unclosed(what: &str) -> String {
    format!("api_key_command has {what} that is never closed: {FORMS}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split_words(line).unwrap_or_else(|e| panic!("{line}: {e}"))
    }

    #[test]
    fn a_string_is_split_into_words_with_quotes_grouping_and_nothing_expanded() {
        assert_eq!(
            words("pass show brevo/main"),
            ["pass", "show", "brevo/main"]
        );
        assert_eq!(
            words("  op  read\t'op://Work/Brevo key/credential' "),
            ["op", "read", "op://Work/Brevo key/credential"]
        );
        assert_eq!(
            words(r#"printf "%s" "a \"b\" \\c \d""#),
            ["printf", "%s", r#"a "b" \c \d"#]
        );
        assert_eq!(words(r"cat my\ key ''"), ["cat", "my key", ""]);
        // No shell: variables, `~`, globs and `$(…)` reach the program as written.
        assert_eq!(
            words("echo $HOME ~/k *.key $(id)"),
            ["echo", "$HOME", "~/k", "*.key", "$(id)"]
        );
        assert_eq!(words("printf '|'"), ["printf", "|"]);
    }

    #[test]
    fn a_broken_string_says_what_is_wrong_and_shows_both_forms() {
        for line in ["pass show 'brevo", "pass \"show", "pass show\\"] {
            let error = split_words(line).unwrap_err();
            assert!(error.contains("\"pass show brevo/main\""), "{error}");
        }
        let error = split_words("pass show brevo | head -1").unwrap_err();
        assert!(
            error.contains("without a shell") && error.contains("\"sh\", \"-c\""),
            "{error}"
        );
    }

    #[test]
    fn a_value_of_another_type_names_the_two_forms_with_an_example() {
        let error = argv(&toml::Value::Integer(3)).unwrap_err();
        assert!(error.contains("this one is an integer"), "{error}");
        assert!(
            error.contains("api_key_command = \"pass show brevo/main\"")
                && error.contains("api_key_command = [\"pass\", \"show\", \"brevo/main\"]"),
            "{error}"
        );
        let list = toml::Value::Array(vec!["pass".into(), toml::Value::Boolean(true)]);
        assert!(
            argv(&list)
                .unwrap_err()
                .contains("item 2 of the list is a boolean")
        );
        assert!(argv(&"   ".into()).unwrap_err().contains("needs a program"));
        assert_eq!(argv(&"pass show x".into()).unwrap(), ["pass", "show", "x"]);
    }
}
