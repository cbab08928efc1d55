//! The `[paths]` section as `hg paths` shows it: names sorted, relative
//! local paths resolved against the repository root, passwords hidden, and
//! `name:suboption` entries listed under their path.

use std::path::Path;

use crate::config::Config;

/// One configured path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathEntry {
    pub name: String,
    pub location: String,
    /// (suboption, value), sorted.
    pub suboptions: Vec<(String, String)>,
}

/// The configured paths, sorted by name; `root` resolves relative paths.
pub fn list_paths(config: &Config, root: Option<&Path>) -> Vec<PathEntry> {
    let mut entries: Vec<PathEntry> = Vec::new();
    for item in config.section(b"paths") {
        let name = String::from_utf8_lossy(&item.name).into_owned();
        let value = String::from_utf8_lossy(&item.value).into_owned();
        if let Some((base, sub)) = name.split_once(':') {
            if let Some(e) = entries.iter_mut().find(|e| e.name == base) {
                e.suboptions.push((sub.to_string(), value));
            } else {
                entries.push(PathEntry {
                    name: base.to_string(),
                    location: String::new(),
                    suboptions: vec![(sub.to_string(), value)],
                });
            }
            continue;
        }
        let location = resolve(&value, root);
        match entries.iter_mut().find(|e| e.name == name) {
            Some(e) => e.location = location,
            None => entries.push(PathEntry {
                name,
                location,
                suboptions: Vec::new(),
            }),
        }
    }
    entries.retain(|e| !e.location.is_empty());
    for e in &mut entries {
        e.suboptions.sort();
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    entries
}

fn has_scheme(value: &str) -> bool {
    value.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && scheme.len() > 1
    })
}

fn resolve(value: &str, root: Option<&Path>) -> String {
    if value.is_empty() || has_scheme(value) || value.starts_with('/') {
        return value.to_string();
    }
    match root {
        Some(r) => normalize(&r.join(value)),
        None => value.to_string(),
    }
}

/// `os.path.normpath`: drop `.` and fold `..` lexically.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir | std::path::Component::RootDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Replaces the password of `scheme://user:password@host` with `***`.
pub fn hide_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..]),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_resolves() {
        let mut c = Config::default();
        c.set(b"paths", b"other", b"../o".to_vec(), "f:1".into());
        c.set(
            b"paths",
            b"default",
            b"https://u:pw@h/r".to_vec(),
            "f:2".into(),
        );
        c.set(
            b"paths",
            b"default:pushurl",
            b"ssh://h/r".to_vec(),
            "f:3".into(),
        );
        let p = list_paths(&c, Some(Path::new("/a/repo")));
        assert_eq!(p[0].name, "default");
        assert_eq!(
            p[0].suboptions,
            vec![("pushurl".to_string(), "ssh://h/r".to_string())]
        );
        assert_eq!(p[1].location, "/a/o");
        assert_eq!(hide_password(&p[0].location), "https://u:***@h/r");
    }
}
