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

    /// Write every file under `dir` (created if missing), each through a temporary name, in the
    /// order queued; returns their paths.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file that could not be written.
    ///
    /// All or nothing: if a file cannot be written, the files this call already wrote are
    /// removed again (a file it replaced is gone either way) and no temporary is left.
    pub fn commit(self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut out = Vec::new();
        for (name, bytes) in self.files {
            let path = dir.join(&name);
            let written = path
                .parent()
                .map_or(Ok(()), |parent| {
                    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))
                })
                .and_then(|()| write_atomic(&path, &bytes));
            if let Err(e) = written {
                for p in &out {
                    let _ = std::fs::remove_file(p);
                }
                return Err(e);
            }
            out.push(path);
        }
        Ok(out)
    }
}

/// Check, before any work, that `dir` can take a command's output: it is a folder (or can be
/// created) and a file can be written in it. The probe leaves nothing behind (a folder it had to
/// create is removed again).
///
/// # Errors
/// [`Error::Usage`] (exit status 2) naming `--out` and why.
pub fn check_out_dir(dir: &Path) -> Result<()> {
    let bad = |why: String| Error::Usage(format!("--out {}: {why}", dir.display()));
    if dir.exists() && !dir.is_dir() {
        return Err(bad("is not a folder".into()));
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
pub fn json_bytes<T: serde::Serialize>(value: &T) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(value).expect("report values serialize");
    v.push(b'\n');
    v
}

/// A CSV file from rows of cells (the first row is the header).
pub fn csv_bytes(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).expect("in-memory csv");
    }
    w.into_inner().expect("in-memory csv")
}

#[cfg(test)]
mod tests {
    use super::*;

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
