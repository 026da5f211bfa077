//! A command line as a shell reads it (the simulated shell's, and the `x` dialog's Command
//! field, which splits it into arguments with `$NAME` kept as typed): commands separated by `;` or `&&`, words
//! split on blanks with single and double quotes, `$NAME`, `${NAME}` and `$?` expanded
//! (not inside single quotes), and `>&2` (`1>&2`) sending a command's output to stderr.
//! Enough for what runbooks type; no pipes, globs or other redirects.

/// How a command is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// `;` or the start of the line: always run.
    Always,
    /// `&&`: run only when the previous one succeeded.
    IfOk,
}

/// One command of a line: how it joins the one before, its words, and whether its standard
/// output goes to standard error (`>&2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub join: Join,
    pub words: Vec<String>,
    pub to_stderr: bool,
}

/// Splits a line into commands, each a list of words, with variables looked up in `var`.
/// `Err` names what is wrong with the line (an unclosed quote, a redirect it does not do).
pub fn parse(line: &str, var: impl Fn(&str) -> Option<String>) -> Result<Vec<Command>, String> {
    let mut commands = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    // Whether a word has begun (so that `''` is an empty word).
    let mut in_word = false;
    let mut join = Join::Always;
    let mut to_stderr = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            ';' | '&' => {
                if c == '&' && chars.next_if_eq(&'&').is_none() {
                    return Err("background jobs (&) are not supported".into());
                }
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
                if !words.is_empty() {
                    commands.push(Command {
                        join,
                        words: std::mem::take(&mut words),
                        to_stderr,
                    });
                }
                join = if c == ';' { Join::Always } else { Join::IfOk };
                to_stderr = false;
            }
            '>' => {
                if chars.next_if_eq(&'&').is_none() || chars.next_if_eq(&'2').is_none() {
                    return Err("redirects other than >&2 are not supported".into());
                }
                // `1>&2` says the same: the `1` is not a word.
                if in_word && word != "1" {
                    words.push(std::mem::take(&mut word));
                }
                word.clear();
                in_word = false;
                to_stderr = true;
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("unterminated quoted string".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => {
                            if let Some(c) = chars.next() {
                                word.push(c);
                            }
                        }
                        Some('$') => word.push_str(&expand(&mut chars, &var)),
                        Some(c) => word.push(c),
                        None => return Err("unterminated quoted string".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            '$' => {
                in_word = true;
                word.push_str(&expand(&mut chars, &var));
            }
            '#' if !in_word => break,
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if !words.is_empty() {
        commands.push(Command {
            join,
            words,
            to_stderr,
        });
    }
    Ok(commands)
}

/// The value after a `$`: `?`, `NAME` or `{NAME}`; a lone `$` stays itself.
fn expand(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    var: &impl Fn(&str) -> Option<String>,
) -> String {
    if chars.next_if_eq(&'?').is_some() {
        return var("?").unwrap_or_default();
    }
    let braced = chars.next_if_eq(&'{').is_some();
    let mut name = String::new();
    while let Some(c) = chars.next_if(|c| c.is_ascii_alphanumeric() || *c == '_') {
        name.push(c);
    }
    if braced {
        chars.next_if_eq(&'}');
    }
    if name.is_empty() {
        return if braced { String::new() } else { "$".into() };
    }
    var(&name).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<(Join, Vec<String>)> {
        commands(line)
            .into_iter()
            .map(|c| (c.join, c.words))
            .collect()
    }

    fn commands(line: &str) -> Vec<Command> {
        parse(line, |name| match name {
            "HOSTNAME" => Some("redis-0".into()),
            "?" => Some("3".into()),
            _ => None,
        })
        .expect("parses")
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn quotes_keep_blanks_and_single_quotes_keep_dollars() {
        assert_eq!(
            words(r#"echo "a  b" 'c $HOSTNAME' $HOSTNAME ${HOSTNAME}x"#),
            vec![(
                Join::Always,
                strings(&["echo", "a  b", "c $HOSTNAME", "redis-0", "redis-0x"])
            )]
        );
    }

    #[test]
    fn separators_split_commands_and_say_how_they_join() {
        assert_eq!(
            words("false && echo no; echo $? # a comment"),
            vec![
                (Join::Always, strings(&["false"])),
                (Join::IfOk, strings(&["echo", "no"])),
                (Join::Always, strings(&["echo", "3"])),
            ]
        );
        assert_eq!(
            words("echo ''"),
            vec![(Join::Always, strings(&["echo", ""]))]
        );
    }

    #[test]
    fn to_stderr_sends_that_commands_output_to_stderr_only() {
        let to = |line: &str| -> Vec<(Vec<String>, bool)> {
            commands(line)
                .into_iter()
                .map(|c| (c.words, c.to_stderr))
                .collect()
        };
        assert_eq!(
            to("echo out; echo err >&2; echo a 1>&2 && echo b>&2; echo '>&2'"),
            [
                (strings(&["echo", "out"]), false),
                (strings(&["echo", "err"]), true),
                (strings(&["echo", "a"]), true),
                (strings(&["echo", "b"]), true),
                (strings(&["echo", ">&2"]), false),
            ]
        );
        assert!(parse("echo a > /tmp/f", |_| None).is_err());
    }

    #[test]
    fn an_unclosed_quote_is_an_error() {
        assert!(parse("echo 'oops", |_| None).is_err());
        assert!(parse("sleep 5 &", |_| None).is_err());
    }
}
