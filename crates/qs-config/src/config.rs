//! `Config`: every section and item, in hg's order (sections sorted, items
//! in the order they were last set), with the origin of each value
//! (`file:line`, `--config`, ...).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A configuration problem, worded as hg reports it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A line hg's parser rejects.
    #[error("config error at {location}: {message}")]
    Parse { location: String, message: String },
    /// An rc file that exists but cannot be read.
    #[error("{message}: '{}'", path.display())]
    Read { path: PathBuf, message: String },
    /// A `--config` argument without `section.name=value`.
    #[error("malformed --config option: '{0}' (use --config section.name=value)")]
    MalformedOverride(String),
    /// A value that should be a boolean.
    #[error("{section}.{name} is not a boolean ('{value}')")]
    NotABoolean {
        section: String,
        name: String,
        value: String,
    },
}

/// One value and where it was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub name: Vec<u8>,
    pub value: Vec<u8>,
    pub origin: String,
}

/// The layered configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {
    sections: BTreeMap<Vec<u8>, Vec<Item>>,
}

impl Config {
    /// Sets `section.name`, moving it to the end of its section.
    pub fn set(&mut self, section: &[u8], name: &[u8], value: Vec<u8>, origin: String) {
        let items = self.sections.entry(section.to_vec()).or_default();
        items.retain(|i| i.name != name);
        items.push(Item {
            name: name.to_vec(),
            value,
            origin,
        });
    }

    /// Makes sure a section exists (even if empty).
    pub fn ensure_section(&mut self, section: &[u8]) {
        self.sections.entry(section.to_vec()).or_default();
    }

    /// Removes `section.name` (hg's `%unset`).
    pub fn unset(&mut self, section: &[u8], name: &[u8]) {
        if let Some(items) = self.sections.get_mut(section) {
            items.retain(|i| i.name != name);
        }
    }

    /// The value of `section.name`.
    pub fn get(&self, section: &[u8], name: &[u8]) -> Option<Vec<u8>> {
        self.item(section, name).map(|i| i.value.clone())
    }

    /// The value as text (lossy for non-UTF-8 bytes).
    pub fn get_str(&self, section: &str, name: &str) -> Option<String> {
        self.get(section.as_bytes(), name.as_bytes())
            .map(|v| String::from_utf8_lossy(&v).into_owned())
    }

    /// Where `section.name` was set.
    pub fn origin(&self, section: &[u8], name: &[u8]) -> Option<String> {
        self.item(section, name).map(|i| i.origin.clone())
    }

    fn item(&self, section: &[u8], name: &[u8]) -> Option<&Item> {
        self.sections.get(section)?.iter().find(|i| i.name == name)
    }

    /// hg's `configbool`: `1 yes true on always` / `0 no false off never`.
    pub fn get_bool(&self, section: &str, name: &str, default: bool) -> Result<bool, ConfigError> {
        let Some(value) = self.get_str(section, name) else {
            return Ok(default);
        };
        match value.to_ascii_lowercase().as_str() {
            "1" | "yes" | "true" | "on" | "always" => Ok(true),
            "0" | "no" | "false" | "off" | "never" => Ok(false),
            _ => Err(ConfigError::NotABoolean {
                section: section.to_string(),
                name: name.to_string(),
                value,
            }),
        }
    }

    /// Sections in hg's order (sorted) with their items.
    pub fn sections(&self) -> impl Iterator<Item = (&[u8], &[Item])> {
        self.sections
            .iter()
            .map(|(name, items)| (name.as_slice(), items.as_slice()))
    }

    /// The items of one section, in order.
    pub fn section(&self, section: &[u8]) -> &[Item] {
        self.sections.get(section).map_or(&[], Vec::as_slice)
    }

    /// Applies `--config section.name=value` arguments.
    pub fn apply_overrides(&mut self, overrides: &[String]) -> Result<(), ConfigError> {
        for o in overrides {
            let parsed = o.split_once('=').and_then(|(k, v)| {
                let (s, n) = k.split_once('.')?;
                (!s.is_empty() && !n.is_empty()).then_some((s, n, v))
            });
            let (section, name, value) =
                parsed.ok_or_else(|| ConfigError::MalformedOverride(o.clone()))?;
            self.set(
                section.as_bytes(),
                name.as_bytes(),
                value.as_bytes().to_vec(),
                "--config".to_string(),
            );
        }
        Ok(())
    }
}
