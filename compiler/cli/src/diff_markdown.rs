//! The pull-request comment of a diff (`hybridc diff --format markdown`),
//! always within one comment's size ([`Comment::max_chars`], counted in
//! UTF-16 code units as the forges count): a marker line a bot finds its
//! earlier comment by ([`marker`]), a headline with the counts, the table
//! of objects — grouped by file, by cluster folder and kind, or by kind
//! when the table of every object would not fit — then each file's diff in
//! a collapsible section, changed files first, then added, then removed,
//! each in path order, until the budget is spent. A last line says what was
//! left out and how to see the full diff. Nothing is ever cut inside a
//! section or a code fence: each is added whole or not at all.

use crate::diff::{FileChange, Kind, ObjectChange, Report};
use similar::TextDiff;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The longest comment GitHub accepts, in UTF-16 code units: the default
/// of `hybridc diff --max-chars`.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// The smallest `--max-chars`: room for the marker, the headline, a table
/// grouped by kind and the line saying what was left out.
pub const MIN_COMMENT: usize = 2_000;

/// `--max-chars`: a whole number, at least [`MIN_COMMENT`].
pub fn max_chars(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|e| format!("{e}"))?;
    if n < MIN_COMMENT {
        return Err(format!("a comment needs at least {MIN_COMMENT} characters"));
    }
    Ok(n)
}

/// What the comment says besides the report, and its size.
#[derive(Debug, Clone)]
pub struct Comment<'a> {
    /// The program and the output folder as given to `hybridc diff`.
    pub program: &'a str,
    pub out: &'a str,
    /// The most UTF-16 code units the comment may hold.
    pub max_chars: usize,
    /// Where the full diff can be read (`--full-diff-url`).
    pub full_diff_url: Option<&'a str>,
}

/// The size of a text as the forges count it: UTF-16 code units (a
/// character outside the Basic Multilingual Plane counts two).
pub fn size(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The headline counts per cluster folder while that takes at most this
/// fraction of the comment (1/16: 4,096 characters of GitHub's 65,536).
const HEADLINE_SHARE: usize = 16;

/// The comment's first line, the same for every diff of one OUT, so a bot
/// can find and update its earlier comment: `<!-- hybridc-diff out=OUT -->`.
pub fn marker(out: &str) -> String {
    let out = hybrid_core::load::normalize(std::path::Path::new(out)).to_string_lossy().replace('\\', "/");
    // An HTML comment holds no `--` and no `>`: any other character than
    // these is written as %XX, and so is a `-` after a `-`.
    let mut safe = String::new();
    let mut last = ' ';
    for c in out.chars() {
        let plain = c.is_ascii_alphanumeric() || "._/+@~=:,".contains(c) || (c == '-' && last != '-');
        if plain {
            safe.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(safe, "%{b:02X}");
            }
        }
        last = c;
    }
    format!("<!-- hybridc-diff out={safe} -->\n")
}

/// A text that grows by whole blocks, each added only when it fits.
struct Budgeted {
    text: String,
    used: usize,
    max: usize,
}

impl Budgeted {
    /// Appends `block` when it fits with `reserve` units to spare.
    fn push(&mut self, block: &str, reserve: usize) -> bool {
        let n = size(block);
        let fits = self.used.saturating_add(n).saturating_add(reserve) <= self.max;
        if fits {
            self.text.push_str(block);
            self.used += n;
        }
        fits
    }
    fn room(&self, reserve: usize) -> usize {
        self.max.saturating_sub(self.used).saturating_sub(reserve)
    }
}

/// The pull-request comment of a report: the whole of it when it fits,
/// else as much as fits with room kept for the line saying what was left
/// out.
pub fn markdown(r: &Report, c: &Comment<'_>) -> String {
    if r.is_empty() {
        let mut out = Budgeted { text: String::new(), used: 0, max: c.max_chars };
        if out.push(&marker(c.out), 0) {
            out.push("**hybridc:** no change to the generated files.\n", 0);
        }
        return out.text;
    }
    let whole = compose(r, c, 0);
    if whole.1 {
        return whole.0;
    }
    // Room for the last line, computed with the largest counts it can say.
    let reserve = size(&left_out(c, r.files.len(), r.objects.len(), Some(Grouping::ByFolderAndKind))) + 16;
    compose(r, c, reserve).0
}

/// The comment keeping `reserve` units for the last line; `true` when
/// nothing was left out (and so no last line is needed).
fn compose(r: &Report, c: &Comment<'_>, reserve: usize) -> (String, bool) {
    let mut out = Budgeted { text: String::new(), used: 0, max: c.max_chars };
    if !out.push(&marker(c.out), 0) {
        return (out.text, false);
    }
    // Counts per cluster folder while they stay short, else the totals.
    let per_folder = format!("### hybridc: {}\n\n", headline(r));
    let short = size(&per_folder) <= c.max_chars / HEADLINE_SHARE;
    if !(short && out.push(&per_folder, reserve)) {
        out.push(&format!("### hybridc: {}\n\n", crate::diff_render::counts(r)), reserve);
    }
    let grouped = match tables(r, out.room(reserve)).next() {
        Some((g, t)) => {
            out.push(&t, reserve);
            g
        }
        None => Some(Grouping::Omitted),
    };
    let shown = details_order(r).take_while(|f| out.push(&details(f, r), reserve)).count();
    let files_left = r.files.len() - shown;
    if files_left == 0 && grouped.is_none() {
        return (out.text, true);
    }
    let shown_files: std::collections::BTreeSet<&str> = details_order(r).take(shown).map(|f| f.path.as_str()).collect();
    let objects_left = r.objects.iter().filter(|o| !shown_files.contains(o.file.as_str())).count();
    out.push(&left_out(c, files_left, objects_left, grouped), 0);
    (out.text, false)
}

/// Counts per cluster folder: `1 changed, 1 added in dc-a/shop-a; …`.
fn headline(r: &Report) -> String {
    let mut places: Vec<(String, [usize; 3])> = Vec::new();
    for o in &r.objects {
        let p = place(&o.file);
        let i = match places.iter().position(|(q, _)| *q == p) {
            Some(i) => i,
            None => {
                places.push((p, [0; 3]));
                places.len() - 1
            }
        };
        if let Some((_, c)) = places.get_mut(i) {
            bump(c, o.kind);
        }
    }
    let parts: Vec<String> = places
        .iter()
        .map(|(p, c)| {
            let words: Vec<String> =
                KINDS.iter().zip(c).filter(|(_, n)| **n > 0).map(|(k, n)| format!("{n} {}", k.word())).collect();
            format!("{} in {p}", words.join(", "))
        })
        .collect();
    parts.join("; ")
}

/// The three kinds of change, in the order counts are written.
const KINDS: [Kind; 3] = [Kind::Changed, Kind::Added, Kind::Removed];

/// Counts one change of kind `k` in counts written in [`KINDS`] order.
fn bump(c: &mut [usize; 3], k: Kind) {
    match k {
        Kind::Changed => c[0] += 1,
        Kind::Added => c[1] += 1,
        Kind::Removed => c[2] += 1,
    }
}

/// `SITE/CLUSTER` of an output path (or the file itself at the top).
fn place(path: &str) -> String {
    let mut parts = path.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), Some(_)) => format!("{a}/{b}"),
        _ => path.to_string(),
    }
}

/// How the table of objects was shortened to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    ByFile,
    ByFolderAndKind,
    ByKind,
    Omitted,
}

impl Grouping {
    fn words(self) -> &'static str {
        match self {
            Grouping::ByFile => "grouped by file",
            Grouping::ByFolderAndKind => "grouped by cluster folder and kind",
            Grouping::ByKind => "grouped by kind",
            Grouping::Omitted => "left out",
        }
    }
}

/// The tables of objects, most detailed first, each built only as long as
/// it stays within `room`; `None` marks the table of every object.
fn tables(r: &Report, room: usize) -> impl Iterator<Item = (Option<Grouping>, String)> + '_ {
    let all = (
        None,
        table("| | object | declared at | file | changed fields |\n|---|---|---|---|---|\n", object_rows(r), room),
    );
    let groupings = [Grouping::ByFile, Grouping::ByFolderAndKind, Grouping::ByKind];
    std::iter::once(all)
        .chain(groupings.into_iter().map(move |g| (Some(g), grouped_table(r, g, room))))
        .filter_map(|(g, t)| Some((g, t?)))
}

/// A table of `rows` after `header`, then a blank line; `None` past `room`.
fn table(header: &str, rows: impl Iterator<Item = String>, room: usize) -> Option<String> {
    let mut t = header.to_string();
    let mut n = size(&t);
    for row in rows {
        n += size(&row);
        if n > room {
            return None;
        }
        t.push_str(&row);
    }
    t.push('\n');
    (n < room).then_some(t)
}

/// A table cell's text: no line break, no `|` that would end the cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn declared(o: &ObjectChange) -> String {
    o.declared.as_ref().map(|d| cell(&d.to_string())).unwrap_or_default()
}

/// One row per object, then the files in the way.
fn object_rows(r: &Report) -> impl Iterator<Item = String> + '_ {
    let objects = r.objects.iter().map(|o| {
        let fields: Vec<String> = o
            .fields
            .iter()
            .map(|f| {
                let old = f.old.as_deref().unwrap_or("(none)");
                let new = f.new.as_deref().unwrap_or("(none)");
                format!("{}: {} → {}", code(&cell(&f.path)), cell(old), cell(new))
            })
            .collect();
        let (sign, key, file) = (o.kind.sign(), cell(&o.key.to_string()), code(&cell(&o.file)));
        format!("| {sign} | {key} | {} | {file} | {} |\n", declared(o), fields.join("<br>"))
    });
    objects.chain(notes(r))
}

/// The rows of the files in the way: generated paths where OUT holds a
/// file hybridc did not write, symbolic links.
fn notes(r: &Report) -> impl Iterator<Item = String> + '_ {
    let unmanaged =
        r.unmanaged.iter().map(|p| format!("| ! | not generated by hybridc, left alone | | {} | |\n", code(&cell(p))));
    let links = r.links.iter().map(|(p, to)| {
        format!("| ! | a symbolic link to {}, never followed | | {} | |\n", code(&cell(to)), code(&cell(p)))
    });
    unmanaged.chain(links)
}

/// The objects counted by group, in the order each group first appears.
fn grouped_table(r: &Report, g: Grouping, room: usize) -> Option<String> {
    let mut groups: Vec<(String, String, [usize; 3])> = Vec::new();
    let mut index: BTreeMap<(String, String), usize> = BTreeMap::new();
    for o in &r.objects {
        let (a, b) = match g {
            Grouping::ByFile => (code(&cell(&o.file)), declared(o)),
            Grouping::ByFolderAndKind => (code(&cell(&place(&o.file))), cell(&o.key.kind)),
            Grouping::ByKind | Grouping::Omitted => (cell(&o.key.kind), String::new()),
        };
        let i = *index.entry((a.clone(), b.clone())).or_insert_with(|| {
            groups.push((a, b, [0; 3]));
            groups.len() - 1
        });
        if let Some((_, _, c)) = groups.get_mut(i) {
            bump(c, o.kind);
        }
    }
    let header = match g {
        Grouping::ByFile => "| file | declared at | changed | added | removed |\n|---|---|---|---|---|\n",
        Grouping::ByFolderAndKind => "| cluster folder | kind | changed | added | removed |\n|---|---|---|---|---|\n",
        Grouping::ByKind | Grouping::Omitted => "| kind | changed | added | removed |\n|---|---|---|---|\n",
    };
    let caption = format!(
        "The table of all {} objects does not fit in one comment; here they are {}.\n\n",
        r.objects.len(),
        g.words()
    );
    let rows = groups.into_iter().map(move |(a, b, [ch, ad, rm])| match g {
        Grouping::ByKind | Grouping::Omitted => format!("| {a} | {ch} | {ad} | {rm} |\n"),
        _ => format!("| {a} | {b} | {ch} | {ad} | {rm} |\n"),
    });
    let in_the_way = r.unmanaged.len() + r.links.len();
    let columns = header.lines().next().map_or(0, |h| h.matches('|').count().saturating_sub(1));
    let notes = (in_the_way > 0).then(|| {
        let what =
            format!("! {} in the way, left alone (`hybridc diff --stat` lists them)", plural(in_the_way, "path"));
        format!("| {what} |{}\n", " |".repeat(columns.saturating_sub(1)))
    });
    let t = table(header, rows.chain(notes), room.saturating_sub(size(&caption)))?;
    Some(caption + &t)
}

fn plural(n: usize, w: &str) -> String {
    if n == 1 {
        format!("1 {w}")
    } else {
        format!("{n} {w}s")
    }
}

/// The files whose diffs are shown, in the order they are added: changed,
/// added, removed, each in path order.
fn details_order(r: &Report) -> impl Iterator<Item = &FileChange> + '_ {
    KINDS.into_iter().flat_map(move |k| r.files.iter().filter(move |f| f.kind == k))
}

/// One file's diff in a collapsible section, fenced so that no line of
/// the file can close the fence.
fn details(f: &FileChange, r: &Report) -> String {
    let text = TextDiff::from_lines(&f.old, &f.new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{}", f.path), &format!("b/{}", f.path))
        .to_string();
    let fence = "`".repeat(longest_backtick_run(&text).max(2) + 1);
    let at = r
        .objects
        .iter()
        .find(|o| o.file == f.path)
        .and_then(|o| o.declared.as_ref())
        .map(|d| format!(", declared at {}", html(&d.to_string())))
        .unwrap_or_default();
    let newline = if text.ends_with('\n') || text.is_empty() { "" } else { "\n" };
    format!(
        "<details><summary><code>{}</code> ({}{at})</summary>\n\n{fence}diff\n{text}{newline}{fence}\n\n</details>\n\n",
        html(&f.path),
        f.kind.word(),
    )
}

fn longest_backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A code span that holds `s` whatever backticks it has.
fn code(s: &str) -> String {
    let ticks = "`".repeat(longest_backtick_run(s) + 1);
    if ticks.len() == 1 {
        format!("`{s}`")
    } else {
        format!("{ticks} {s} {ticks}")
    }
}

fn html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A word of a shell command, quoted when it must be.
fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._/+@=:,-".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The last line: what the comment leaves out, and where the rest is.
fn left_out(c: &Comment<'_>, files: usize, objects: usize, grouped: Option<Grouping>) -> String {
    let mut what = Vec::new();
    if files > 0 {
        what.push(format!("the diffs of {} ({})", plural(files, "file"), plural(objects, "object")));
    }
    match grouped {
        Some(Grouping::Omitted) => what.push("the table of objects".to_string()),
        Some(g) => what.push(format!("the table of every object (here {})", g.words())),
        None => {}
    }
    let command = format!("hybridc diff {} --out {} --format human", shell_word(c.program), shell_word(c.out));
    let link = c.full_diff_url.map(|u| format!(", or read [the full diff](<{}>)", url(u))).unwrap_or_default();
    format!("**Left out** to fit one comment: {}. For everything, run {}{link}.\n", what.join(" and "), code(&command))
}

/// A link destination that stays one: no space, no angle bracket.
fn url(u: &str) -> String {
    let mut out = String::new();
    for ch in u.chars() {
        if ch.is_whitespace() || ch.is_control() || ch == '<' || ch == '>' {
            let mut buf = [0; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(ch);
        }
    }
    out
}
