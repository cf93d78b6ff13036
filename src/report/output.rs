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
    pub fn commit(self, dir: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let mut out = Vec::new();
        for (name, bytes) in self.files {
            let path = dir.join(&name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            write_atomic(&path, &bytes)?;
            out.push(path);
        }
        Ok(out)
    }
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
