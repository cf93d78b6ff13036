//! The configured folders (scenarios, race records) and the one way a request names a file in
//! them: by a bare file name that the folder's listing contains. A name with a separator, `..`, an
//! absolute path, or a symbolic link that leads outside the folder is refused before any file is
//! opened.

use std::path::{Path, PathBuf};

use super::api::ApiError;

/// A folder the server may read files of one extension from.
#[derive(Debug, Clone)]
pub struct Folder {
    /// The folder as configured.
    pub dir: PathBuf,
    /// The extension of the files it serves (`toml`, `json`).
    pub ext: &'static str,
    /// What it holds, in words ("scenario", "race record").
    pub what: &'static str,
}

impl Folder {
    /// The folder's files (bare names, sorted) whose real path stays inside it. A missing folder
    /// lists nothing.
    pub fn list(&self) -> Vec<String> {
        let Ok(root) = self.dir.canonicalize() else {
            return Vec::new();
        };
        let Ok(rd) = std::fs::read_dir(&root) else {
            return Vec::new();
        };
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| self.resolve_in(&root, n).is_ok())
            .collect();
        names.sort();
        names
    }

    /// The path of the file `name` names.
    ///
    /// # Errors
    /// 403 for a name that is not a bare file name or whose real path is outside the folder
    /// (a symbolic link out of it); 404 for a file that is not there.
    pub fn resolve(&self, name: &str) -> Result<PathBuf, ApiError> {
        let root = self.dir.canonicalize().map_err(|_| {
            ApiError::not_found(format!("no {} folder ({})", self.what, self.dir.display()))
        })?;
        self.resolve_in(&root, name)
    }

    fn resolve_in(&self, root: &Path, name: &str) -> Result<PathBuf, ApiError> {
        let bare = !name.is_empty()
            && !name.starts_with('.')
            && !name.contains(['/', '\\', '\0'])
            && Path::new(name).file_name().and_then(|n| n.to_str()) == Some(name);
        if !bare {
            return Err(ApiError::forbidden(format!(
                "`{name}`: name a {} by its file name in the folder, not a path",
                self.what
            )));
        }
        if Path::new(name).extension().and_then(|e| e.to_str()) != Some(self.ext) {
            return Err(ApiError::not_found(format!(
                "`{name}`: not a {} (.{} file)",
                self.what, self.ext
            )));
        }
        let real = root
            .join(name)
            .canonicalize()
            .map_err(|_| ApiError::not_found(format!("no {} `{name}`", self.what)))?;
        if real.parent() != Some(root) || !real.is_file() {
            return Err(ApiError::forbidden(format!(
                "`{name}`: leads outside the {} folder",
                self.what
            )));
        }
        Ok(real)
    }
}
