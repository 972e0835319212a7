//! Promotion links (seed 004): the request's rules. A link is an Agent link (recruits
//! sub-introducers) or a StraightGuest link (brings clients, needs a target URL); who sees it
//! in the IB portal (all, some users, none); the parameter (uid/pid/sid) the click redirect
//! sets to the owner; the promotion code (`entityNo`), generated when absent.

use crate::error::Violations;
use crate::{Error, Result};

/// Longest promotion name.
pub const MAX_NAME: usize = 200;
/// Longest promotion code.
pub const MAX_CODE: usize = 64;
/// Longest target URL.
pub const MAX_URL: usize = 2000;
/// Most users a link may be visible to.
pub const MAX_VISIBLE_USERS: usize = 1000;

/// What a link brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntroduceType {
    /// Recruits sub-introducers (IBs) under the owner.
    Agent,
    /// Brings clients to the owner.
    StraightGuest,
}

impl IntroduceType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Agent => "Agent",
            Self::StraightGuest => "StraightGuest",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Agent, Self::StraightGuest].into_iter().find(|t| t.as_str() == s)
    }
}

/// Who sees the link in the IB portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisibleType {
    UserAllVisible,
    UserPartVisible,
    UserNotVisible,
}

impl VisibleType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserAllVisible => "UserAllVisible",
            Self::UserPartVisible => "UserPartVisible",
            Self::UserNotVisible => "UserNotVisible",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::UserAllVisible, Self::UserPartVisible, Self::UserNotVisible]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// The request as received (texts; the free-form fields stay with the caller).
#[derive(Debug, Clone, Default)]
pub struct LinkInput {
    pub name: Option<String>,
    pub entity_no: Option<String>,
    pub introduce_type: Option<String>,
    pub visible_type: Option<String>,
    /// Numbers or numeric strings, as sent.
    pub visible_user_ids: Option<Vec<String>>,
    pub target_url: Option<String>,
    pub parameter_type: Option<String>,
}

/// A valid request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidLink {
    pub name: String,
    pub entity_no: Option<String>,
    pub introduce_type: IntroduceType,
    pub visible_type: VisibleType,
    pub visible_user_ids: Vec<i64>,
    pub target_url: Option<String>,
    /// `uid`, `pid` or `sid`.
    pub parameter_type: Option<String>,
}

/// The field that fails when the name is missing or blank (seed 004's own error code).
pub const NAME_REQUIRED: &str = "is required";

fn present(s: Option<&String>) -> Option<&str> {
    s.map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// Checks `r`; every bad field is named (`name` alone with [`NAME_REQUIRED`] when empty).
pub fn validate(r: &LinkInput) -> Result<ValidLink> {
    let mut v = Violations::new();
    let name = present(r.name.as_ref());
    match name {
        None => v.push("name", NAME_REQUIRED),
        Some(n) if n.chars().count() > MAX_NAME => {
            v.push("name", format!("must be at most {MAX_NAME} characters"))
        }
        Some(_) => {}
    }
    let entity_no = present(r.entity_no.as_ref());
    if let Some(code) = entity_no {
        let ok = code.len() <= MAX_CODE
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            v.push("entityNo", format!("must be 1-{MAX_CODE} letters, digits, '_' or '-'"));
        }
    }
    let introduce_type = present(r.introduce_type.as_ref()).and_then(IntroduceType::parse);
    if introduce_type.is_none() {
        v.push("introduceType", "must be Agent or StraightGuest");
    }
    let visible_type = present(r.visible_type.as_ref()).and_then(VisibleType::parse);
    if visible_type.is_none() {
        v.push("visibleType", "must be UserAllVisible, UserPartVisible or UserNotVisible");
    }
    let mut visible_user_ids = Vec::new();
    for (i, raw) in r.visible_user_ids.iter().flatten().enumerate() {
        match raw.trim().parse::<i64>() {
            Ok(id) if id > 0 => visible_user_ids.push(id),
            _ => v.push(format!("visibleUserId[{i}]"), "must be a positive integer"),
        }
    }
    if visible_user_ids.len() > MAX_VISIBLE_USERS {
        v.push("visibleUserId", format!("must hold at most {MAX_VISIBLE_USERS} users"));
    }
    if visible_type == Some(VisibleType::UserPartVisible)
        && r.visible_user_ids.as_ref().is_none_or(Vec::is_empty)
    {
        v.push("visibleUserId", "is required with UserPartVisible");
    }
    let target_url = present(r.target_url.as_ref());
    match target_url {
        None if introduce_type == Some(IntroduceType::StraightGuest) => {
            v.push("targetUrl", "is required with StraightGuest")
        }
        Some(u) if !is_web_url(u) => {
            v.push("targetUrl", format!("must be an http(s) URL of at most {MAX_URL} characters"))
        }
        _ => {}
    }
    let parameter_type = present(r.parameter_type.as_ref());
    if parameter_type.is_some_and(|p| !matches!(p, "uid" | "pid" | "sid")) {
        v.push("parameterType", "must be uid, pid or sid");
    }
    v.finish()?;
    let (Some(name), Some(introduce_type), Some(visible_type)) =
        (name, introduce_type, visible_type)
    else {
        return Err(Error::internal("validated link without its fields"));
    };
    Ok(ValidLink {
        name: name.to_owned(),
        entity_no: entity_no.map(str::to_owned),
        introduce_type,
        visible_type,
        visible_user_ids,
        target_url: target_url.map(str::to_owned),
        parameter_type: parameter_type.map(str::to_owned),
    })
}

fn is_web_url(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    u.len() <= MAX_URL
        && (lower.starts_with("http://") || lower.starts_with("https://"))
        && !u.chars().any(char::is_whitespace)
}

/// Whether `link` (with `visible_type` and `visible_user_ids`) is shown to `user_id`.
pub fn visible_to(visible_type: VisibleType, visible_user_ids: &[i64], user_id: i64) -> bool {
    match visible_type {
        VisibleType::UserAllVisible => true,
        VisibleType::UserPartVisible => visible_user_ids.contains(&user_id),
        VisibleType::UserNotVisible => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn input() -> LinkInput {
        LinkInput {
            name: Some("apiTest1234".into()),
            entity_no: Some("EN03045".into()),
            introduce_type: Some("StraightGuest".into()),
            visible_type: Some("UserPartVisible".into()),
            visible_user_ids: Some(vec!["1".into(), "2".into()]),
            target_url: Some("http://www.baidu.com".into()),
            parameter_type: Some("uid".into()),
        }
    }

    #[test]
    fn a_full_request_is_valid() {
        let l = validate(&input()).unwrap();
        assert_eq!(l.visible_user_ids, [1, 2]);
        assert_eq!(l.introduce_type, IntroduceType::StraightGuest);
        assert!(visible_to(l.visible_type, &l.visible_user_ids, 2));
        assert!(!visible_to(l.visible_type, &l.visible_user_ids, 3));
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut r = input();
        r.name = Some(" ".into());
        r.target_url = None;
        r.visible_user_ids = None;
        r.parameter_type = Some("xid".into());
        let Err(Error::Validation(e)) = validate(&r) else { panic!("accepted") };
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "visibleUserId", "targetUrl", "parameterType"]);
        assert_eq!(e[0].message, NAME_REQUIRED);
        let mut agent = input();
        agent.introduce_type = Some("Agent".into());
        agent.target_url = None;
        assert!(validate(&agent).is_ok(), "an Agent link needs no target");
    }
}
