//! How output looks where it goes: whether diagnostics (stderr) and
//! `diff`'s text diffs (stdout) are coloured, and whether a long build may
//! show its progress. Decided once per run from `--color` and what `main`
//! read of the process's surroundings ([`Surroundings`]); the commands get
//! the decision ([`Console`]) and read no environment themselves.

use clap::ValueEnum;

/// `--color`: when output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (`CLICOLOR_FORCE` colours off one too)
    #[default]
    Auto,
    /// Always, even in a pipe or with `NO_COLOR` set
    Always,
    /// Never
    Never,
}

impl ColorChoice {
    /// The `--color` among the arguments, found before they are parsed so
    /// that clap's own help and usage errors follow it too (`auto`, clap's
    /// default, already honours `NO_COLOR` and `CLICOLOR_FORCE`). The last
    /// one wins, as in parsing; an unknown value is left to the parser.
    pub fn in_args(args: &[std::ffi::OsString]) -> ColorChoice {
        let mut choice = ColorChoice::Auto;
        let mut words = args.iter().skip(1).map(|a| a.to_str());
        while let Some(word) = words.next() {
            let value = match word {
                Some("--") => break,
                Some("--color") => words.next().flatten(),
                Some(w) => w.strip_prefix("--color="),
                None => None,
            };
            if let Some(c) = value.and_then(|v| ColorChoice::from_str(v, false).ok()) {
                choice = c;
            }
        }
        choice
    }

    /// The same choice for clap's help and errors.
    pub fn for_clap(self) -> clap::ColorChoice {
        match self {
            ColorChoice::Auto => clap::ColorChoice::Auto,
            ColorChoice::Always => clap::ColorChoice::Always,
            ColorChoice::Never => clap::ColorChoice::Never,
        }
    }
}

/// What `main` read of the process's surroundings: where stdout and stderr
/// go and the environment variables about colour and CI.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Surroundings {
    pub stdout_terminal: bool,
    pub stderr_terminal: bool,
    /// `NO_COLOR` is set and not empty.
    pub no_color: bool,
    /// `CLICOLOR_FORCE` is set and neither empty nor `0`.
    pub clicolor_force: bool,
    /// `CI` is set (to anything): output goes to a log.
    pub ci: bool,
}

impl Surroundings {
    /// The reading of environment variables `main` hands over: `NO_COLOR`,
    /// `CLICOLOR_FORCE` and `CI` by their values (`None` when unset).
    pub fn from_vars(
        stdout_terminal: bool,
        stderr_terminal: bool,
        var: impl Fn(&str) -> Option<std::ffi::OsString>,
    ) -> Surroundings {
        Surroundings {
            stdout_terminal,
            stderr_terminal,
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
            clicolor_force: var("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0"),
            ci: var("CI").is_some(),
        }
    }
}

/// The decision every command follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Console {
    /// Colour diagnostics (on stderr).
    pub color_stderr: bool,
    /// Colour `diff`'s human output (on stdout).
    pub color_stdout: bool,
    /// A build that takes long may draw its progress on stderr.
    pub progress: bool,
}

impl Console {
    pub fn decide(choice: ColorChoice, s: &Surroundings) -> Console {
        let color = |terminal: bool| match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !s.no_color && (terminal || s.clicolor_force),
        };
        Console {
            color_stderr: color(s.stderr_terminal),
            color_stdout: color(s.stdout_terminal),
            progress: crate::progress::wanted(s.stderr_terminal, s.ci),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<std::ffi::OsString> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.into())
    }

    #[test]
    fn auto_colours_a_terminal_unless_no_color() {
        let tty = Surroundings::from_vars(true, true, env(&[]));
        let pipe = Surroundings::from_vars(false, false, env(&[]));
        let no_color = Surroundings::from_vars(true, true, env(&[("NO_COLOR", "1")]));
        let empty_no_color = Surroundings::from_vars(true, true, env(&[("NO_COLOR", "")]));
        let forced = Surroundings::from_vars(false, false, env(&[("CLICOLOR_FORCE", "1")]));
        let forced_off = Surroundings::from_vars(false, false, env(&[("CLICOLOR_FORCE", "0")]));
        let both = Surroundings::from_vars(false, true, env(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
        let auto = |s: &Surroundings| Console::decide(ColorChoice::Auto, s);
        assert!(auto(&tty).color_stderr && auto(&tty).color_stdout);
        assert!(!auto(&pipe).color_stderr && !auto(&pipe).color_stdout);
        assert!(!auto(&no_color).color_stderr);
        assert!(auto(&empty_no_color).color_stderr, "an empty NO_COLOR is unset");
        assert!(auto(&forced).color_stderr && auto(&forced).color_stdout);
        assert!(!auto(&forced_off).color_stderr);
        assert!(!auto(&both).color_stderr, "NO_COLOR wins over CLICOLOR_FORCE");
        let one_terminal = Surroundings { stderr_terminal: true, ..pipe };
        assert_eq!((auto(&one_terminal).color_stderr, auto(&one_terminal).color_stdout), (true, false));
    }

    #[test]
    fn always_and_never_override_the_surroundings() {
        let no_color = Surroundings::from_vars(false, false, env(&[("NO_COLOR", "1")]));
        let tty = Surroundings::from_vars(true, true, env(&[("CLICOLOR_FORCE", "1")]));
        let always = Console::decide(ColorChoice::Always, &no_color);
        assert!(always.color_stderr && always.color_stdout);
        let never = Console::decide(ColorChoice::Never, &tty);
        assert!(!never.color_stderr && !never.color_stdout);
    }

    #[test]
    fn the_color_option_is_found_before_parsing() {
        let args = |a: &[&str]| a.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(ColorChoice::in_args(&args(&["hybridc", "check", "x"])), ColorChoice::Auto);
        assert_eq!(ColorChoice::in_args(&args(&["hybridc", "--color", "never", "check"])), ColorChoice::Never);
        assert_eq!(ColorChoice::in_args(&args(&["hybridc", "check", "--color=always"])), ColorChoice::Always);
        assert_eq!(
            ColorChoice::in_args(&args(&["hybridc", "--color=never", "check", "--color", "always"])),
            ColorChoice::Always
        );
        assert_eq!(ColorChoice::in_args(&args(&["hybridc", "--color", "bogus"])), ColorChoice::Auto);
        assert_eq!(ColorChoice::in_args(&args(&["hybridc", "fmt", "--", "--color=never"])), ColorChoice::Auto);
        assert_eq!(ColorChoice::in_args(&args(&["hybridc", "--color"])), ColorChoice::Auto);
    }

    #[test]
    fn ci_is_set_by_any_value() {
        assert!(Surroundings::from_vars(true, true, env(&[("CI", "")])).ci);
        assert!(!Surroundings::from_vars(true, true, env(&[])).ci);
    }
}
