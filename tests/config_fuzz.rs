//! Fuzzing the config loader: a seeded corpus of truncations and mutations of the shipped
//! config examples (the README's), themes, keymaps and checklists, each loaded from a file as
//! opsdeck loads it. No input may panic, and every error must name the file and a line
//! (`path:LINE:`). Deterministic (a fixed seed) and a few seconds long, so it runs in CI.

use std::path::Path;

use opsdeck::config::{ColorDepth, Config, Keymap, Theme};

/// Mutants per seed file.
const MUTANTS: usize = 40;

/// xorshift64*: small, fast and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes and words that TOML and opsdeck's values care about.
const PIECES: &[&[u8]] = &[
    b"\"",
    b"=",
    b"[",
    b"]",
    b"[[",
    b"{",
    b"}",
    b",",
    b"\n",
    b"#",
    b".",
    b" ",
    b"'",
    b"\\",
    b"0",
    b"-1",
    b"\"0s\"",
    b"\"0ms\"",
    b"\"1x\"",
    b"true",
    b"[]",
    b"{}",
    b"1e999",
    b"nan",
    b"\"#zzzzzz\"",
    b"blink = true",
    b"\xff",
    b"\xe9",
    b"\xc3",
    b"\x00",
    b"\"\xf0\x9f\x92\xa5\"",
];

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => bytes.truncate(at),
            1 => {
                let end = (at + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
            3 => {
                // Replace a value: from `= ` to the end of the line.
                let piece = PIECES[rng.below(PIECES.len())];
                if let Some(eq) = bytes[at..].iter().position(|&b| b == b'=') {
                    let start = at + eq + 1;
                    let end = bytes[start..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(bytes.len(), |n| start + n);
                    bytes.splice(start..end, piece.iter().copied());
                }
            }
            4 => {
                // Repeat a line (duplicate keys and tables).
                let start = bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |n| n + 1);
                let end = bytes[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |n| at + n + 1);
                let line = bytes[start..end].to_vec();
                bytes.splice(end..end, line);
            }
            _ => {
                if !bytes.is_empty() {
                    let i = at.min(bytes.len() - 1);
                    bytes[i] = (rng.next() & 0xff) as u8;
                }
            }
        }
    }
    bytes
}

/// The README's config examples: its TOML blocks that are not checklists.
fn config_seeds() -> Vec<Vec<u8>> {
    let readme = include_str!("../README.md");
    let mut seeds = Vec::new();
    let mut block: Option<String> = None;
    for line in readme.lines() {
        match (&mut block, line.trim_start()) {
            (None, "```toml") => block = Some(String::new()),
            (Some(text), "```") => {
                if !text.starts_with("title") {
                    seeds.push(text.clone().into_bytes());
                }
                block = None;
            }
            (Some(text), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    seeds
}

/// Every error names the file and a line (`path:LINE:`), in the user's words.
fn assert_placed(error: &str, path: &Path, input: &[u8]) {
    for inner in ["untagged", "$__serde", "key `?`"] {
        assert!(
            !error.contains(inner),
            "{inner:?} leaks in {error:?}\nfor input:\n{}",
            String::from_utf8_lossy(input)
        );
    }
    let prefix = format!("{}:", path.display());
    let placed = error.match_indices(&prefix).any(|(i, _)| {
        let rest = &error[i + prefix.len()..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with(':')
    });
    assert!(
        placed,
        "no file:line in {error:?}\nfor input:\n{}",
        String::from_utf8_lossy(input)
    );
}

/// Loads every mutant of every seed with `load` (which reads the file at the path given), and
/// checks each outcome. Returns how many mutants were refused.
fn fuzz(
    kind: &str,
    seeds: &[Vec<u8>],
    rng: &mut Rng,
    file: &Path,
    load: &dyn Fn() -> Result<(), String>,
) -> usize {
    let mut refused = 0;
    for (n, seed) in seeds.iter().enumerate() {
        std::fs::write(file, seed).unwrap();
        assert_eq!(load(), Ok(()), "{kind} seed {n} loads unchanged");
        for _ in 0..MUTANTS {
            let input = mutate(seed, rng);
            std::fs::write(file, &input).unwrap();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(load));
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(error)) => {
                    refused += 1;
                    assert_placed(&error, file, &input);
                }
                Err(_) => panic!(
                    "{kind} loader panicked on:\n{}",
                    String::from_utf8_lossy(&input)
                ),
            }
        }
    }
    refused
}

#[test]
fn mutated_configs_themes_keymaps_and_checklists_never_panic_and_every_error_has_a_line() {
    let mut rng = Rng(0x6f70_7364_6563_6b21);
    let dir = tempfile::tempdir().unwrap();
    let themes = dir.path().join("themes");
    let keymaps = dir.path().join("keymaps");
    std::fs::create_dir_all(&themes).unwrap();
    std::fs::create_dir_all(&keymaps).unwrap();

    let config = dir.path().join("config.toml");
    let seeds = config_seeds();
    assert!(
        seeds.len() >= 8,
        "the README's config examples: {}",
        seeds.len()
    );
    let refused = fuzz("config", &seeds, &mut rng, &config, &|| {
        Config::load(Some(&config))
            .map(drop)
            .map_err(|e| e.to_string())
    });
    assert!(
        refused > seeds.len() * MUTANTS / 4,
        "the mutants are mostly bad: {refused}"
    );

    let theme_seeds: Vec<Vec<u8>> = ["default", "light", "high-contrast", "colorblind"]
        .iter()
        .map(|n| std::fs::read(format!("themes/{n}.toml")).unwrap())
        .collect();
    let theme = themes.join("mine.toml");
    fuzz("theme", &theme_seeds, &mut rng, &theme, &|| {
        Theme::load("mine", Some(&themes), ColorDepth::Truecolor)
            .map(drop)
            .map_err(|e| e.to_string())
    });

    let keymap_seeds: Vec<Vec<u8>> = ["default", "vim"]
        .iter()
        .map(|n| std::fs::read(format!("keymaps/{n}.toml")).unwrap())
        .collect();
    let keymap = keymaps.join("mine.toml");
    fuzz("keymap", &keymap_seeds, &mut rng, &keymap, &|| {
        // Entries a user's keymap gets wrong are skipped with a warning naming the file.
        let (_, warnings) = Keymap::load("mine", Some(&keymaps)).map_err(|e| e.to_string())?;
        for warning in warnings {
            assert!(warning.contains(keymap.to_str().unwrap()), "{warning}");
        }
        Ok(())
    });

    let checklist_seeds: Vec<Vec<u8>> = ["morning", "weekly", "pre-deploy"]
        .iter()
        .map(|n| std::fs::read(format!("assets/checklists/{n}.toml")).unwrap())
        .collect();
    let checklist = dir.path().join("mine.toml");
    fuzz("checklist", &checklist_seeds, &mut rng, &checklist, &|| {
        let text = opsdeck::config::error::read_text(&checklist).map_err(|e| e.to_string())?;
        opsdeck::checklist::def::parse(&checklist, "mine", &text)
            .map(drop)
            .map_err(|e| e.to_string())
    });
}
