//! Colour like hg: output carries labels (`log.changeset`,
//! `bookmarks.active`, ...) that a style table maps to ANSI effects. The
//! defaults below are the ones hg shows for the labels qs emits; the
//! `[color]` section of the configuration overrides them
//! (`log.changeset = red bold`).

use qs_config::Config;

/// Default effects of the labels qs uses.
const DEFAULT_STYLES: &[(&str, &str)] = &[
    ("log.changeset", "yellow"),
    ("bookmarks.active", "green"),
    ("branches.active", "none"),
    ("branches.closed", "black bold"),
    ("branches.current", "green"),
    ("branches.inactive", "none"),
    ("tags.normal", "green"),
    ("tags.local", "black bold"),
    ("status.added", "green bold"),
    ("status.clean", "none"),
    ("status.copied", "none"),
    ("status.deleted", "cyan bold underline"),
    ("status.ignored", "black bold"),
    ("status.modified", "blue bold"),
    ("status.removed", "red bold"),
    ("status.unknown", "magenta bold underline"),
    ("diff.changed", "white"),
    ("diff.deleted", "red"),
    ("diff.diffline", "bold"),
    ("diff.extended", "cyan bold"),
    ("diff.file_a", "red bold"),
    ("diff.file_b", "green bold"),
    ("diff.hunk", "magenta"),
    ("diff.inserted", "green"),
    ("diff.trailingwhitespace", "bold red_background"),
    ("diffstat.deleted", "red"),
    ("diffstat.inserted", "green"),
];

/// ANSI codes of the effect names hg understands.
fn effect_code(name: &str) -> Option<&'static str> {
    Some(match name {
        "none" => "0",
        "black" => "30",
        "red" => "31",
        "green" => "32",
        "yellow" => "33",
        "blue" => "34",
        "magenta" => "35",
        "cyan" => "36",
        "white" => "37",
        "black_background" => "40",
        "red_background" => "41",
        "green_background" => "42",
        "yellow_background" => "43",
        "blue_background" => "44",
        "magenta_background" => "45",
        "cyan_background" => "46",
        "white_background" => "47",
        "bold" => "1",
        "dim" => "2",
        "italic" => "3",
        "underline" => "4",
        "blink" => "5",
        "inverse" => "7",
        _ => return None,
    })
}

/// Label → escape sequence that starts it.
#[derive(Clone, Debug, Default)]
pub struct Styles {
    starts: Vec<(String, String)>,
}

impl Styles {
    /// The defaults, overridden by `[color]` entries of `config`.
    pub fn from_config(config: &Config) -> Styles {
        let mut table: Vec<(String, String)> = DEFAULT_STYLES
            .iter()
            .map(|(l, e)| (l.to_string(), e.to_string()))
            .collect();
        for item in config.section(b"color") {
            let label = String::from_utf8_lossy(&item.name).into_owned();
            let effects = String::from_utf8_lossy(&item.value).into_owned();
            match table.iter_mut().find(|(l, _)| *l == label) {
                Some(slot) => slot.1 = effects,
                None => table.push((label, effects)),
            }
        }
        let starts = table
            .into_iter()
            .filter_map(|(label, effects)| {
                let codes: Vec<&str> = effects.split_whitespace().filter_map(effect_code).collect();
                (!codes.is_empty()).then(|| (label, format!("\x1b[0;{}m", codes.join(";"))))
            })
            .collect();
        Styles { starts }
    }

    /// The escape sequence starting `label` (the first of several
    /// space-separated labels that has a style), if any.
    pub fn start(&self, label: &str) -> Option<&str> {
        label.split_whitespace().find_map(|l| {
            self.starts
                .iter()
                .find(|(name, _)| name == l)
                .map(|(_, s)| s.as_str())
        })
    }
}

/// Sequence that ends a styled span.
pub const RESET: &str = "\x1b[0m";

/// Whether to colour, from `--color`/`ui.color` (`auto` by default):
/// never under HGPLAIN; `auto` only on a terminal that is not `dumb`.
pub fn enabled(mode: Option<&str>, plain: bool, stdout_is_tty: bool, term: Option<&str>) -> bool {
    if plain {
        return false;
    }
    match mode.unwrap_or("auto").to_ascii_lowercase().as_str() {
        "always" | "yes" | "true" | "on" | "1" | "debug" => true,
        "auto" => stdout_is_tty && term != Some("dumb"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let mut config = Config::default();
        config.set(b"color", b"tags.normal", b"red bold".to_vec(), "t".into());
        let styles = Styles::from_config(&config);
        assert_eq!(
            styles.start("log.changeset changeset.draft"),
            Some("\x1b[0;33m")
        );
        assert_eq!(styles.start("tags.normal"), Some("\x1b[0;31;1m"));
        assert_eq!(styles.start("branches.active"), Some("\x1b[0;0m"));
        assert_eq!(styles.start("unknown"), None);
        assert!(!enabled(Some("always"), true, true, None));
        assert!(enabled(Some("always"), false, false, None));
        assert!(!enabled(None, false, true, Some("dumb")));
    }
}
