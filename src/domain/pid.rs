//! Persistent identifiers minted when an accession is registered. The scheme
//! is deployment configuration (a Chinese CSTR agency prefix, a DOI prefix,
//! or plain resolvable URLs), but the local part is always derived the same
//! way so a PID can be re-derived from INSTCODE + ACCENUMB if ever lost.

/// How this deployment mints PIDs; chosen once in configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PidScheme {
    /// China Science and Technology Resource identifier (GB/T 32843-2016).
    Cstr {
        /// Agency and resource-type part, e.g. `16409.11`.
        prefix: String,
    },
    /// Digital Object Identifier, e.g. the `10.18730` prefix used by genebanks.
    Doi {
        /// DOI prefix without trailing slash, e.g. `10.18730`.
        prefix: String,
    },
    /// Plain HTTP(S) identifiers served by this application at `{base_url}/id/{local}`.
    Url {
        /// Public base URL without trailing slash.
        base_url: String,
    },
}

impl PidScheme {
    /// Builds the scheme from configuration values, rejecting malformed prefixes
    /// at start-up rather than minting unusable identifiers later.
    pub fn from_config(scheme: &str, prefix: &str, base_url: &str) -> Result<PidScheme, String> {
        match scheme.trim().to_ascii_lowercase().as_str() {
            "cstr" => {
                let p = prefix.trim();
                let p = strip_prefix_ignore_case(p, "CSTR:").unwrap_or(p);
                if is_cstr_prefix(p) {
                    Ok(PidScheme::Cstr {
                        prefix: p.to_string(),
                    })
                } else {
                    Err(format!(
                        "PID prefix '{prefix}' is not a CSTR prefix: expected a 5-digit agency code, '.', and a 2-digit resource-type code (e.g. 16409.11)"
                    ))
                }
            }
            "doi" => {
                let p = prefix.trim().trim_end_matches('/');
                if is_doi_prefix(p) {
                    Ok(PidScheme::Doi {
                        prefix: p.to_string(),
                    })
                } else {
                    Err(format!(
                        "PID prefix '{prefix}' is not a DOI prefix: expected '10.' followed by a registrant number (e.g. 10.18730)"
                    ))
                }
            }
            "url" => {
                let b = base_url.trim().trim_end_matches('/');
                if is_base_url(b) {
                    Ok(PidScheme::Url {
                        base_url: b.to_string(),
                    })
                } else {
                    Err(format!(
                        "PID base URL '{base_url}' must start with http:// or https:// and name a host (e.g. https://bank.example.org)"
                    ))
                }
            }
            other => Err(format!(
                "PID scheme '{other}' is not supported; use one of: cstr, doi, url"
            )),
        }
    }

    /// Mints the PID for a local id; the local id is sanitised again so a raw value is safe.
    pub fn issue(&self, local_id: &str) -> String {
        let local = sanitise_local(local_id);
        match self {
            PidScheme::Cstr { prefix } => format!("CSTR:{prefix}.{local}"),
            PidScheme::Doi { prefix } => format!("{prefix}/{local}"),
            PidScheme::Url { base_url } => format!("{base_url}/id/{local}"),
        }
    }
}

/// Builds the local part `INSTCODE-ACCENUMB`, replacing characters outside
/// `[A-Za-z0-9._-]` with '-' because CSTR and DOI suffixes must stay URL-safe.
pub fn local_id(instcode: &str, accession_number: &str) -> String {
    sanitise_local(&format!("{}-{}", instcode.trim(), accession_number.trim()))
}

/// Percent-encodes a PID for the `/id/{pid}` route; ':' and '/' are encoded so
/// the whole PID stays one path segment.
pub fn pid_path_segment(pid: &str) -> String {
    let mut out = String::with_capacity(pid.len());
    for b in pid.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The local address at which a PID resolves: `/id/{…}`. A URL identifier minted under this
/// server's base URL keeps its readable tail; any other PID is percent-encoded segment by
/// segment (a DOI's '/' stays a path separator).
pub fn resolver_path(pid: &str, base_url: &str) -> String {
    let own = format!("{}/id/", base_url.trim_end_matches('/'));
    match pid.strip_prefix(&own) {
        Some(tail) => format!("/id/{}", pid_path_segment(tail)),
        None => format!(
            "/id/{}",
            pid.split('/')
                .map(pid_path_segment)
                .collect::<Vec<_>>()
                .join("/")
        ),
    }
}

/// The PIDs a resolver path may stand for: the path itself, or a URL identifier under the base.
pub fn resolver_candidates(tail: &str, base_url: &str) -> [String; 2] {
    [
        tail.to_string(),
        format!("{}/id/{tail}", base_url.trim_end_matches('/')),
    ]
}

/// Reverses [`pid_path_segment`]; `None` for broken escapes or non-UTF-8 bytes.
pub fn decode_path_segment(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn sanitise_local(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn all_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_cstr_prefix(p: &str) -> bool {
    matches!(p.split_once('.'), Some((agency, kind)) if all_digits(agency, 5) && all_digits(kind, 2))
}

fn is_doi_prefix(p: &str) -> bool {
    let Some(registrant) = p.strip_prefix("10.") else {
        return false;
    };
    let mut parts = registrant.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|r| r.len() >= 4 && r.bytes().all(|b| b.is_ascii_digit()));
    first_ok && parts.all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
}

fn is_base_url(b: &str) -> bool {
    let rest = b
        .strip_prefix("https://")
        .or_else(|| b.strip_prefix("http://"));
    match rest {
        Some(r) => {
            let host = r.split('/').next().unwrap_or("");
            !host.is_empty() && !r.contains(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_resolves_at_a_local_path() {
        let base = "https://bank.example.org";
        assert_eq!(
            resolver_path("https://bank.example.org/id/CHN001-ZDM1", base),
            "/id/CHN001-ZDM1"
        );
        assert_eq!(
            resolver_path("10.18730/CHN001-ZDM1", base),
            "/id/10.18730/CHN001-ZDM1"
        );
        assert_eq!(
            resolver_path("CSTR:16409.11.CHN001-ZDM1", base),
            "/id/CSTR%3A16409.11.CHN001-ZDM1"
        );
        assert_eq!(
            resolver_candidates("CHN001-ZDM1", base)[1],
            "https://bank.example.org/id/CHN001-ZDM1"
        );
    }

    #[test]
    fn cstr_pids_follow_gb_t_32843() {
        let s = PidScheme::from_config("cstr", "16409.11", "").unwrap();
        assert_eq!(
            s.issue(&local_id("CHN001", "2024-0001")),
            "CSTR:16409.11.CHN001-2024-0001"
        );
    }

    #[test]
    fn cstr_prefix_may_be_configured_with_its_label() {
        let s = PidScheme::from_config("CSTR", "cstr:16409.11", "").unwrap();
        assert_eq!(
            s,
            PidScheme::Cstr {
                prefix: "16409.11".into()
            }
        );
    }

    #[test]
    fn malformed_cstr_prefixes_are_rejected() {
        for bad in [
            "1640.11",
            "16409",
            "16409.1",
            "16409.111",
            "a6409.11",
            "16409-11",
            "",
        ] {
            assert!(PidScheme::from_config("cstr", bad, "").is_err(), "{bad}");
        }
    }

    #[test]
    fn doi_pids_join_prefix_and_local_id_with_a_slash() {
        let s = PidScheme::from_config("doi", "10.18730/", "").unwrap();
        assert_eq!(
            s.issue(&local_id("CHN001", "2024-0001")),
            "10.18730/CHN001-2024-0001"
        );
    }

    #[test]
    fn malformed_doi_prefixes_are_rejected() {
        for bad in [
            "18730",
            "10.187",
            "11.18730",
            "10.18730.",
            "10.abcd",
            "doi:10.18730",
        ] {
            assert!(PidScheme::from_config("doi", bad, "").is_err(), "{bad}");
        }
        assert!(PidScheme::from_config("doi", "10.1000.10", "").is_ok());
    }

    #[test]
    fn url_pids_live_under_the_id_route() {
        let s = PidScheme::from_config("url", "", "https://bank.example.org/").unwrap();
        assert_eq!(
            s.issue("CHN001-2024-0001"),
            "https://bank.example.org/id/CHN001-2024-0001"
        );
        assert!(PidScheme::from_config("url", "", "bank.example.org").is_err());
        assert!(PidScheme::from_config("url", "", "https://").is_err());
    }

    #[test]
    fn unknown_schemes_are_rejected_with_the_choices() {
        let e = PidScheme::from_config("handle", "20.500", "").unwrap_err();
        assert!(e.contains("cstr, doi, url"));
    }

    #[test]
    fn unsafe_characters_in_local_ids_become_hyphens() {
        assert_eq!(local_id("USA022", "PI 123 456"), "USA022-PI-123-456");
        assert_eq!(local_id("CHN001", "稻/2024#1"), "CHN001---2024-1");
        assert_eq!(local_id("NGA039", "TVu_1.2"), "NGA039-TVu_1.2");
        let s = PidScheme::from_config("doi", "10.18730", "").unwrap();
        assert_eq!(s.issue("A B/C"), "10.18730/A-B-C");
    }

    #[test]
    fn path_segments_encode_colons_and_slashes() {
        assert_eq!(
            pid_path_segment("CSTR:16409.11.CHN001-2024-0001"),
            "CSTR%3A16409.11.CHN001-2024-0001"
        );
        assert_eq!(pid_path_segment("10.18730/X"), "10.18730%2FX");
    }

    #[test]
    fn path_segments_round_trip() {
        for pid in [
            "CSTR:16409.11.CHN001-2024-0001",
            "10.18730/CHN001-2024-0001",
            "https://bank.example.org/id/CHN001-2024-0001",
            "odd %25 ünïcode ~_.",
        ] {
            let seg = pid_path_segment(pid);
            assert!(!seg.contains('/') && !seg.contains(':'));
            assert_eq!(decode_path_segment(&seg).as_deref(), Some(pid));
        }
    }

    #[test]
    fn broken_escapes_do_not_decode() {
        assert_eq!(decode_path_segment("abc%2"), None);
        assert_eq!(decode_path_segment("abc%zz"), None);
        assert_eq!(decode_path_segment("%FF"), None);
        assert_eq!(decode_path_segment("%+1"), None);
    }
}
