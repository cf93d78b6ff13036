//! The files a command writes, held in memory until everything is ready, then written each
//! through a temporary name: a command that fails writes nothing, and no reader ever sees half a
//! file.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Files to write, held in memory until [`OutputSet::commit`].
#[derive(Debug, Default)]
pub struct OutputSet {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl OutputSet {
    /// Nothing queued yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queue `bytes` as the file `name` (relative to the directory given to
    /// [`OutputSet::commit`]).
    pub fn add(&mut self, name: impl Into<PathBuf>, bytes: Vec<u8>) {
        self.files.push((name.into(), bytes));
    }

    /// Names of the files queued so far.
    pub fn names(&self) -> Vec<&Path> {
        self.files.iter().map(|(p, _)| p.as_path()).collect()
    }

    /// Write every file under `dir`, all or nothing: the files are first written into a staging
    /// folder on the same file system, then put in place by renames only.
    ///
    /// * `dir` does not exist: the staging folder is `.NAME.racesim-PID.part` beside it, renamed
    ///   to `dir` at the end — the set appears at once, whole.
    /// * `dir` exists (a folder of the user's, an earlier run): the staging folder is
    ///   `dir/.racesim-PID.part`, and each file is moved into `dir` by a rename at the end (no
    ///   data is copied there, so the window is a few system calls); other files are left alone.
    ///
    /// Returns the files' final paths, in the order queued.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file or folder that could not be written. Nothing of this run is
    /// then left: no staging folder, and no file of the set (a file it had already replaced is
    /// gone either way). Ctrl-C while writing removes the staging folder too ([`abandon`]).
    pub fn commit(self, dir: &Path) -> Result<Vec<PathBuf>> {
        let fresh = !dir.exists();
        remove_stale_stages(dir, fresh);
        let stage = staging_dir(dir, fresh);
        if fresh {
            if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
        }
        let _ = std::fs::remove_dir_all(&stage);
        set_in_progress(Some(stage.clone()));
        let mut moved = Vec::new();
        let result = self.stage_and_place(dir, &stage, fresh, &mut moved);
        if result.is_err() {
            let _g = lock_in_progress();
            for p in &moved {
                let _ = std::fs::remove_file(p);
            }
        }
        let _ = std::fs::remove_dir_all(&stage);
        set_in_progress(None);
        result
    }

    fn stage_and_place(
        &self,
        dir: &Path,
        stage: &Path,
        fresh: bool,
        moved: &mut Vec<PathBuf>,
    ) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(stage).map_err(|e| Error::io(stage, e))?;
        for (name, bytes) in &self.files {
            // one file at a time under the lock: an interruption waits for it, then removes
            // the staging folder and ends the process
            let _g = lock_in_progress();
            let path = stage.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(dir.join(name), e))?;
            }
            std::fs::write(&path, bytes).map_err(|e| Error::io(dir.join(name), e))?;
        }
        let finals: Vec<PathBuf> = self.files.iter().map(|(n, _)| dir.join(n)).collect();
        let _g = lock_in_progress();
        if fresh {
            std::fs::rename(stage, dir).map_err(|e| Error::io(dir, e))?;
            return Ok(finals);
        }
        // a name taken by a folder is found before anything is moved
        if let Some(p) = finals.iter().find(|p| p.is_dir()) {
            return Err(Error::io(
                p,
                std::io::Error::other("a folder has this name, the file cannot replace it"),
            ));
        }
        for ((name, _), dest) in self.files.iter().zip(&finals) {
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::rename(stage.join(name), dest).map_err(|e| Error::io(dest, e))?;
            moved.push(dest.clone());
        }
        Ok(finals)
    }
}

/// The staging folder of a commit into `dir` (see [`OutputSet::commit`]).
fn staging_dir(dir: &Path, fresh: bool) -> PathBuf {
    let pid = std::process::id();
    match (fresh, dir.file_name()) {
        (true, Some(name)) => {
            let mut n = std::ffi::OsString::from(".");
            n.push(name);
            n.push(format!(".racesim-{pid}.part"));
            dir.with_file_name(n)
        }
        _ => dir.join(format!(".racesim-{pid}.part")),
    }
}

/// Remove the staging folders that runs killed outright (SIGKILL, a power cut: nothing of the
/// process could clean up) left where this commit stages: `.NAME.racesim-PID.part` beside a
/// fresh `dir`, `dir/.racesim-PID.part` inside an existing one — only those whose process is
/// gone, so a run writing into the same place at this moment is left alone.
fn remove_stale_stages(dir: &Path, fresh: bool) {
    let (folder, prefix) = match (fresh, dir.file_name()) {
        (true, Some(name)) => {
            let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
            let mut prefix = String::from(".");
            prefix.push_str(&name.to_string_lossy());
            prefix.push_str(".racesim-");
            (parent.unwrap_or(Path::new(".")).to_path_buf(), prefix)
        }
        (true, None) => return,
        (false, _) => (dir.to_path_buf(), ".racesim-".to_string()),
    };
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = (name.to_str())
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".part"))
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process with this id exists (signal 0 checks without sending anything; a process
/// of another user answers EPERM and counts as alive).
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// The staging folder being written, if any: what an interruption removes.
static IN_PROGRESS: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

fn lock_in_progress() -> std::sync::MutexGuard<'static, Option<PathBuf>> {
    IN_PROGRESS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn set_in_progress(p: Option<PathBuf>) {
    *lock_in_progress() = p;
}

/// Remove the staging folder of a commit in progress, for a process about to end on a signal
/// (the binary's Ctrl-C handler). Waits for the file being written (or the renames putting the
/// set in place) to finish, and keeps the lock: the commit cannot go on afterwards, so the
/// caller must end the process.
pub fn abandon() {
    let mut g = lock_in_progress();
    if let Some(stage) = g.take() {
        let _ = std::fs::remove_dir_all(stage);
    }
    std::mem::forget(g);
}

/// Output file extensions: a folder inside `--out` with such a name would stop a file from
/// being written, so [`check_out_dir`] refuses it before any work.
const OUTPUT_EXTENSIONS: [&str; 6] = ["json", "csv", "png", "svg", "html", "txt"];

/// Check, before any work, that `dir` can take a command's output: it is a folder (or can be
/// created), a file can be written in it, and no folder in it is named like an output file
/// (`summary.json/`). The probe leaves nothing behind (a folder it had to create is removed
/// again).
///
/// # Errors
/// [`Error::Usage`] (exit status 2) naming `--out` and why.
pub fn check_out_dir(dir: &Path) -> Result<()> {
    let bad = |why: String| Error::Usage(format!("--out {}: {why}", dir.display()));
    if dir.exists() && !dir.is_dir() {
        return Err(bad("is not a folder".into()));
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir()
                && p.extension()
                    .is_some_and(|x| OUTPUT_EXTENSIONS.iter().any(|o| x == *o))
            {
                return Err(bad(format!(
                    "{} is a folder where an output file may have to go",
                    p.display()
                )));
            }
        }
    }
    let created = !dir.exists();
    std::fs::create_dir_all(dir).map_err(|e| bad(format!("cannot be created: {e}")))?;
    let probe = dir.join(format!(".racesim-probe-{}", std::process::id()));
    let result = std::fs::write(&probe, b"").map_err(|e| bad(format!("cannot be written: {e}")));
    let _ = std::fs::remove_file(&probe);
    if created {
        let _ = std::fs::remove_dir(dir);
    }
    result
}

/// Write `bytes` to `path` through `path.tmp` and a rename.
///
/// # Errors
/// [`Error::Io`] naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// A JSON document as written: pretty, with a final newline.
///
/// Serialising to memory fails only for a map with non-string keys or a `Serialize` impl that
/// errors; racesim's report types are plain derived structs with string-keyed maps, so neither
/// can happen (non-finite numbers are written as `null`, not an error).
#[allow(
    clippy::expect_used,
    reason = "in-memory serialisation of derived report types cannot fail (reviewed, issue 14)"
)]
pub fn json_bytes<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(value).expect("report values serialize");
    v.push(b'\n');
    v
}

/// A CSV file from rows of cells (the first row is the header).
///
/// The writer is `flexible` (rows of any length) and writes into memory, so neither of its two
/// errors — unequal row lengths and I/O — can occur.
#[allow(
    clippy::expect_used,
    reason = "a flexible CSV writer into a Vec cannot fail (reviewed, issue 14)"
)]
pub fn csv_bytes(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).expect("in-memory csv");
    }
    w.into_inner().expect("in-memory csv")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Staging folders of killed runs (a process id that does not exist) are removed by the next
    /// commit to the same place; a live process's (this test's parent, pid 1) are kept.
    #[test]
    fn a_killed_runs_staging_folder_is_removed_by_the_next_commit() {
        let base = tmp("stale");
        std::fs::create_dir_all(&base).unwrap();
        // a fresh `--out`: the stale stage is beside it
        let out = base.join("out");
        let dead = base.join(".out.racesim-999999999.part");
        let live = base.join(".out.racesim-1.part");
        let other = base.join(".other.racesim-999999999.part");
        for d in [&dead, &live, &other] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("summary.json"), b"{").unwrap();
        }
        let mut o = OutputSet::default();
        o.add("a.txt", b"a".to_vec());
        o.commit(&out).unwrap();
        assert!(!dead.exists(), "a dead run's stage beside --out is removed");
        assert!(live.exists(), "a live process's stage is kept");
        assert!(
            other.exists(),
            "another output's stage is not ours to remove"
        );
        // an existing `--out`: the stale stage is inside it
        let inside = out.join(".racesim-999999999.part");
        std::fs::create_dir_all(&inside).unwrap();
        let mut o = OutputSet::default();
        o.add("b.txt", b"b".to_vec());
        o.commit(&out).unwrap();
        assert!(!inside.exists());
        assert!(out.join("a.txt").exists() && out.join("b.txt").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn an_unusable_out_is_found_first_and_a_failed_commit_leaves_nothing() {
        let dir = tmp("check");
        check_out_dir(&dir).unwrap();
        assert!(!dir.exists(), "the probe removes the folder it created");
        std::fs::create_dir_all(dir.parent().unwrap()).unwrap();
        std::fs::write(&dir, b"x").unwrap();
        let e = check_out_dir(&dir).unwrap_err();
        assert!(
            e.is_user_error() && e.to_string().contains("is not a folder"),
            "{e}"
        );
        std::fs::remove_file(&dir).unwrap();
        // the second file's name is taken by a folder: the first is removed again
        std::fs::create_dir_all(dir.join("b.json")).unwrap();
        let mut set = OutputSet::new();
        set.add("a.txt", b"one".to_vec());
        set.add("b.json", b"{}".to_vec());
        assert!(set.commit(&dir).is_err());
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("b.json")]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failing_write_in_the_middle_leaves_no_file_and_no_staging_folder() {
        let base = tmp("middle");
        std::fs::create_dir_all(&base).unwrap();
        let set = || {
            let mut o = OutputSet::new();
            o.add("a.txt", b"one".to_vec());
            o.add("bad\0name.json", b"{}".to_vec()); // no file system takes a NUL
            o.add("c.csv", b"x\n".to_vec());
            o
        };
        // a new folder: it never appears
        let fresh = base.join("new");
        let e = set().commit(&fresh).unwrap_err();
        assert!(matches!(e, Error::Io { .. }), "{e}");
        assert!(!fresh.exists());
        assert!(listing(&base).is_empty(), "{:?}", listing(&base));
        // an existing folder: as it was
        let old = base.join("old");
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("mine.txt"), b"keep").unwrap();
        set().commit(&old).unwrap_err();
        assert_eq!(listing(&old), ["mine.txt"]);
        assert!(listing(&base) == ["old"]);
        // and a set that can be written appears whole in both cases, the user's file kept
        let mut ok = OutputSet::new();
        ok.add("a.txt", b"one".to_vec());
        ok.add("sub/b.json", b"{}".to_vec());
        ok.commit(&old).unwrap();
        assert_eq!(listing(&old), ["a.txt", "mine.txt", "sub"]);
        let mut ok = OutputSet::new();
        ok.add("a.txt", b"one".to_vec());
        ok.commit(&fresh).unwrap();
        assert_eq!(listing(&fresh), ["a.txt"]);
        assert_eq!(listing(&base), ["new", "old"]);
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn a_folder_named_like_an_output_file_is_refused_first() {
        let dir = tmp("named");
        std::fs::create_dir_all(dir.join("summary.json")).unwrap();
        let e = check_out_dir(&dir).unwrap_err();
        assert!(e.is_user_error(), "{e}");
        assert!(e.to_string().contains("summary.json"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("racesim-output-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn files_are_written_in_order_and_whole() {
        let dir = tmp("ok");
        let mut o = OutputSet::new();
        o.add("a.txt", b"one".to_vec());
        o.add("sub/b.json", json_bytes(&vec![1, 2]));
        assert_eq!(o.names(), [Path::new("a.txt"), Path::new("sub/b.json")]);
        let written = o.commit(&dir).unwrap();
        assert_eq!(written, [dir.join("a.txt"), dir.join("sub/b.json")]);
        assert_eq!(std::fs::read(dir.join("a.txt")).unwrap(), b"one");
        assert_eq!(
            std::fs::read_to_string(dir.join("sub/b.json")).unwrap(),
            "[\n  1,\n  2\n]\n"
        );
        // no temporary file is left behind
        assert!(!dir.join("a.txt.tmp").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unwritable_directory_is_a_clean_error() {
        let dir = tmp("blocked");
        std::fs::create_dir_all(&dir).unwrap();
        let blocker = dir.join("file");
        std::fs::write(&blocker, b"not a directory").unwrap();
        let mut o = OutputSet::new();
        o.add("x.txt", b"x".to_vec());
        let e = o.commit(&blocker.join("out")).unwrap_err();
        assert!(matches!(e, Error::Io { .. }), "{e}");
        assert!(e.to_string().contains("file"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let b = csv_bytes(vec![
            vec!["a".into(), "b".into()],
            vec!["x, y".into(), "2".into()],
        ]);
        assert_eq!(String::from_utf8(b).unwrap(), "a,b\n\"x, y\",2\n");
    }
}
