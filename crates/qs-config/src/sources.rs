//! Where configuration comes from, in hg's order on POSIX systems:
//! `HGRCPATH` (its files, and `*.rc` in its directories) when set, else the
//! system files (`<prefix>/etc/mercurial/hgrc[.d/*.rc]`,
//! `/etc/mercurial/hgrc[.d/*.rc]`) and the user's (`~/.hgrc`, then
//! `$XDG_CONFIG_HOME/hg/hgrc`); then the repository's `.hg/hgrc`; then
//! `--config` arguments.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::{Config, ConfigError};
use crate::parser::read_file;

/// The process facts configuration loading needs, passed explicitly.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    pub vars: HashMap<String, String>,
    /// Install prefix whose `etc/mercurial` holds system config, if any.
    pub install_prefix: Option<PathBuf>,
}

impl Environment {
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// The home directory (`$HOME`).
    pub fn home(&self) -> Option<PathBuf> {
        self.var("HOME").map(PathBuf::from)
    }

    /// Expands `~` and `$VAR` / `${VAR}` as hg's `util.expandpath` does.
    pub fn expand(&self, text: &str) -> String {
        let mut s = text.to_string();
        if s == "~" || s.starts_with("~/") {
            if let Some(home) = self.var("HOME") {
                s = format!("{home}{}", &s[1..]);
            }
        }
        let mut out = String::new();
        let mut rest = s.as_str();
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
                match inner.find('}') {
                    Some(end) => (&inner[..end], end + 2),
                    None => ("", 0),
                }
            } else {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            };
            match self.var(name).filter(|_| !name.is_empty()) {
                Some(v) => out.push_str(v),
                None => {
                    out.push('$');
                    out.push_str(&after[..consumed]);
                }
            }
            rest = &after[consumed..];
        }
        out.push_str(rest);
        out
    }
}

/// The rc files read before the repository's, in order.
pub fn global_rc_files(env: &Environment) -> Vec<PathBuf> {
    if let Some(list) = env.var("HGRCPATH") {
        let mut files = Vec::new();
        for part in list.split(':').filter(|p| !p.is_empty()) {
            let path = PathBuf::from(env.expand(part));
            if path.is_dir() {
                files.extend(rc_dir_files(&path));
            } else {
                files.push(path);
            }
        }
        return files;
    }
    let mut files = Vec::new();
    if let Some(prefix) = &env.install_prefix {
        if prefix != Path::new("/") {
            files.extend(rc_files_in(&prefix.join("etc/mercurial")));
        }
    }
    files.extend(rc_files_in(Path::new("/etc/mercurial")));
    if let Some(home) = env.home() {
        files.push(home.join(".hgrc"));
        let config_home = env
            .var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .unwrap_or_else(|| home.join(".config"));
        files.push(config_home.join("hg/hgrc"));
    }
    files
}

fn rc_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files = vec![dir.join("hgrc")];
    files.extend(rc_dir_files(&dir.join("hgrc.d")));
    files
}

fn rc_dir_files(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rc"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Loads the global layers (system and user, or `HGRCPATH`).
pub fn load_global(env: &Environment) -> Result<Config, ConfigError> {
    let mut config = Config::default();
    for file in global_rc_files(env) {
        read_file(&mut config, &file, env)?;
    }
    Ok(config)
}

/// Adds a repository's layer: `.hg/hgrc` (and `hgrc-not-shared`), and the
/// `bundle.mainreporoot` hg records.
pub fn add_repository(
    config: &mut Config,
    root: &Path,
    env: &Environment,
) -> Result<(), ConfigError> {
    config.set(
        b"bundle",
        b"mainreporoot",
        root.display().to_string().into_bytes(),
        "repo".to_string(),
    );
    read_file(config, &root.join(".hg/hgrc"), env)?;
    read_file(config, &root.join(".hg/hgrc-not-shared"), env)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_files_follow_hgs_order() {
        let mut env = Environment::default();
        env.vars.insert("HOME".into(), "/h".into());
        let files = global_rc_files(&env);
        let n = files.len();
        assert_eq!(files[n - 2], PathBuf::from("/h/.hgrc"));
        assert_eq!(files[n - 1], PathBuf::from("/h/.config/hg/hgrc"));
        env.vars.insert("XDG_CONFIG_HOME".into(), "/x".into());
        assert_eq!(
            global_rc_files(&env).last(),
            Some(&PathBuf::from("/x/hg/hgrc"))
        );
        env.vars.insert("XDG_CONFIG_HOME".into(), "relative".into());
        assert_eq!(
            global_rc_files(&env).last(),
            Some(&PathBuf::from("/h/.config/hg/hgrc"))
        );
        env.vars.insert("HGRCPATH".into(), "".into());
        assert!(global_rc_files(&env).is_empty());
    }

    #[test]
    fn expands_home_and_vars() {
        let mut env = Environment::default();
        env.vars.insert("HOME".into(), "/h".into());
        env.vars.insert("X".into(), "y".into());
        assert_eq!(env.expand("~/a/$X/${X}z/$NOPE"), "/h/a/y/yz/$NOPE");
    }
}
