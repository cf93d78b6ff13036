//! A model file: a `[model]`-style TOML table of [`ModelParams`] fields (`--model FILE`).

use std::path::Path;

use crate::base::error::InputError;
use crate::base::params::ModelParams;
use crate::error::Result;

/// Read a model file: missing fields keep their defaults, unknown ones are refused, and the
/// values are checked ([`ModelParams::validate`]) before any race is run with them.
///
/// # Errors
/// [`crate::error::Error::Input`] naming the file (and the line and the parameter) when it cannot
/// be read or a value is wrong.
pub fn load_model(path: &Path) -> Result<ModelParams> {
    let text = crate::input::source::read_input(path)?;
    let p: ModelParams = toml::from_str(&text).map_err(|e| {
        InputError::new(
            path,
            e.span()
                .map(|s| crate::base::error::line_of_offset(&text, s.start)),
            "",
            e.message()
                .lines()
                .next()
                .unwrap_or("invalid model file")
                .to_string(),
        )
    })?;
    p.validate().map_err(|e| {
        let at = crate::base::error::FieldPath::root().key(e.param);
        InputError::new(path, super::toml::line_of(&text, &at), e.param, e.message)
    })?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("racesim-model-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("model.toml");
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn a_model_file_sets_what_it_names_and_is_checked() {
        let p = load_model(&file("ok", "draft_scale = 0.8\n")).unwrap();
        assert_eq!(p.draft_scale, 0.8);
        assert_eq!(p.dt_s, ModelParams::default().dt_s);
        let e = load_model(&file("neg", "draft_scale = -1.0\n")).unwrap_err();
        assert!(e.is_user_error());
        assert!(
            e.to_string()
                .ends_with("field `draft_scale`: must be a number in [0, 3], got -1"),
            "{e}"
        );
        let e = load_model(&file("unknown", "\nno_such = 1.0\n")).unwrap_err();
        assert!(
            e.to_string()
                .contains("model.toml:2: unknown field `no_such`"),
            "{e}"
        );
    }
}
