//! The progress line of a long build: a spinner on stderr with the stage
//! (checking, rendering target k of n, comparing, writing file N of M) and the
//! time so far, drawn by `indicatif`. It appears only when stderr is a
//! terminal and `CI` is not set — never in a log or a pipe — and only once
//! the build has run for [`DELAY`]; it is cleared before anything else is
//! printed, so the lines a build prints are the same with or without it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a build runs before its progress is drawn: a quick build shows
/// nothing.
pub const DELAY: Duration = Duration::from_secs(1);

/// Whether a command may show progress at all: on a terminal, outside CI.
pub fn wanted(stderr_terminal: bool, ci: bool) -> bool {
    stderr_terminal && !ci
}

/// Whether the progress line is drawn after `elapsed`.
pub fn drawn(wanted: bool, elapsed: Duration) -> bool {
    wanted && elapsed >= DELAY
}

/// The progress of one build; does nothing when not [`wanted`].
#[derive(Debug)]
pub struct Progress {
    wanted: bool,
    start: Instant,
    line: Option<Line>,
}

/// A spinner being shown, or waiting to be shown until [`DELAY`] is up.
#[derive(Debug)]
struct Line {
    bar: ProgressBar,
    /// Dropping it tells the thread waiting to draw the bar to give up.
    cancel: Option<mpsc::Sender<()>>,
    waiting: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn new(wanted: bool) -> Progress {
        Progress { wanted, start: Instant::now(), line: None }
    }

    /// The build entered a new stage.
    pub fn stage(&mut self, message: String) {
        if !self.wanted {
            return;
        }
        match &self.line {
            Some(line) => {
                line.bar.set_style(style(STAGE));
                line.bar.set_message(message);
            }
            None => self.line = Some(self.show(message)),
        }
    }

    /// A stage that goes through `total` files: the line counts them
    /// (`writing into out: 1200/40105 files`) as the [`Counter`] is told.
    pub fn count(&mut self, message: String, total: usize) -> Counter {
        self.stage(message);
        let bar = self.line.as_ref().map(|line| line.bar.clone());
        if let Some(bar) = &bar {
            bar.set_style(style(COUNTING));
            bar.set_length(u64::try_from(total).unwrap_or(u64::MAX));
            bar.set_position(0);
        }
        Counter { bar }
    }

    fn show(&self, message: String) -> Line {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_elapsed(self.start.elapsed());
        bar.set_style(style(STAGE));
        bar.set_message(message);
        let draw = |bar: &ProgressBar| {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        };
        let elapsed = self.start.elapsed();
        if drawn(self.wanted, elapsed) {
            draw(&bar);
            return Line { bar, cancel: None, waiting: None };
        }
        let (cancel, cancelled) = mpsc::channel::<()>();
        let remaining = DELAY.saturating_sub(elapsed);
        let shown = bar.clone();
        let waiting = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = cancelled.recv_timeout(remaining) {
                draw(&shown);
            }
        });
        Line { bar, cancel: Some(cancel), waiting: Some(waiting) }
    }

    /// Removes the line from the terminal (before other output, and at the
    /// end); a later [`Progress::stage`] shows it again.
    pub fn clear(&mut self) {
        if let Some(mut line) = self.line.take() {
            drop(line.cancel.take());
            if let Some(waiting) = line.waiting.take() {
                let _ = waiting.join();
            }
            line.bar.finish_and_clear();
        }
    }
}

/// Counts the files of a [`Progress::count`] stage, from any thread.
#[derive(Debug)]
pub struct Counter {
    bar: Option<ProgressBar>,
}

impl Counter {
    /// One more file done.
    pub fn one(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

/// The line of a stage, and of a stage counting files.
const STAGE: &str = "{spinner} {msg} ({elapsed})";
const COUNTING: &str = "{spinner} {msg}: {pos}/{len} files ({elapsed})";

/// A line's look; a template that does not parse (a bug) falls back to a
/// plain spinner.
fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drawn only on a terminal, outside CI, after a second.
    #[test]
    fn drawn_on_a_terminal_outside_ci_after_a_second() {
        let long = Duration::from_secs(12);
        let short = Duration::from_millis(300);
        for (terminal, ci, elapsed, want) in [
            (true, false, long, true),
            (true, false, DELAY, true),
            (true, false, short, false),
            (true, true, long, false),
            (false, false, long, false),
            (false, true, long, false),
            (false, false, short, false),
        ] {
            assert_eq!(drawn(wanted(terminal, ci), elapsed), want, "terminal={terminal} ci={ci} after {elapsed:?}");
        }
    }

    /// Off a terminal nothing is started: no bar, no thread, no count.
    #[test]
    fn unwanted_progress_starts_nothing() {
        let mut p = Progress::new(false);
        p.stage("checking".into());
        assert!(p.line.is_none());
        let files = p.count("writing".into(), 3);
        files.one();
        assert!(p.line.is_none() && files.bar.is_none());
    }

    /// A counted stage counts the files done out of its total.
    #[test]
    fn a_counted_stage_counts_its_files() {
        let mut p = Progress::new(true);
        p.stage("rendering".into());
        let files = p.count("writing".into(), 3);
        files.one();
        files.one();
        let bar = files.bar.as_ref();
        assert_eq!(bar.map(|b| (b.position(), b.length(), b.message())), Some((2, Some(3), "writing".to_string())));
        p.clear();
    }

    /// Both templates parse (else the line would fall back to a spinner).
    #[test]
    fn the_templates_parse() {
        for t in [STAGE, COUNTING] {
            assert!(ProgressStyle::with_template(t).is_ok(), "{t}");
        }
    }

    /// A quick build clears its line before it was ever drawn, and the
    /// waiting thread ends with it.
    #[test]
    fn a_quick_build_never_draws() {
        let mut p = Progress::new(true);
        p.stage("checking".into());
        let bar = p.line.as_ref().map(|l| l.bar.clone());
        p.clear();
        assert!(p.line.is_none());
        assert!(bar.is_some_and(|b| b.is_hidden() && b.is_finished()));
    }
}
