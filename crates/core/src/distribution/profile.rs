//! Lead-profile values as seed 001 defines them: text trimmed to 512 characters with `<..>`
//! appended, and ISO 639-1 language codes.

/// Longest text value kept as sent (seed 001).
pub const MAX_TEXT: usize = 512;

/// Trims `v` to 512 characters and appends `<..>` when it was longer.
pub fn trim_text(v: &str) -> String {
    match v.char_indices().nth(MAX_TEXT) {
        None => v.to_owned(),
        Some((cut, _)) => format!("{}<..>", &v[..cut]),
    }
}

/// The ISO 639-1 two-letter language codes.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// The lower-case ISO 639-1 code of `raw`, if it is one.
pub fn language_code(raw: &str) -> Option<String> {
    let s = raw.trim().to_ascii_lowercase();
    (s.len() == 2 && ISO_639_1.split(' ').any(|c| c == s)).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_at_512_characters_not_bytes() {
        let exact = "é".repeat(512);
        assert_eq!(trim_text(&exact), exact);
        let long = "é".repeat(513);
        let t = trim_text(&long);
        assert!(t.ends_with("<..>"));
        assert_eq!(t.chars().count(), 516);
        assert_eq!(trim_text("short"), "short");
    }

    #[test]
    fn languages() {
        assert_eq!(language_code("EN").as_deref(), Some("en"));
        assert_eq!(language_code("sr").as_deref(), Some("sr"));
        assert_eq!(ISO_639_1.split(' ').count(), 183);
        assert!(language_code("xx").is_none());
        assert!(language_code("eng").is_none());
    }
}
