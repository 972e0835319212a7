//! The messages of the trading streams, as JSON text frames. From the client:
//! `{"type":"subscribe","symbols":[...]}`, `{"type":"unsubscribe","symbols":[...]}`,
//! `{"type":"ping"}`. To the client: `subscribed`, `unsubscribed`, `pong`, `quote`,
//! `position`, `order`, `wallet`, `lagged`, `exposures` and `error` (the CRM error body under
//! `error`, naming the field).

use axum::extract::ws::Message;
use brokercrm_app::trading::live::{Command, Push, Reply};
use brokercrm_app::trading::risk::exposures::RiskExposures;
use brokercrm_core::Error;
use serde_json::{Value, json};

use crate::error::ErrorBody;

/// Most symbols one message may name.
const MAX_NAMED: usize = 500;

/// The symbols of a (un)subscribe message: an array of strings.
fn symbols(v: &Value) -> Result<Vec<String>, Error> {
    let Some(list) = v.get("symbols") else {
        return Err(Error::field("symbols", "is required"));
    };
    let list =
        list.as_array().ok_or_else(|| Error::field("symbols", "must be an array of symbols"))?;
    if list.len() > MAX_NAMED {
        return Err(Error::field("symbols", format!("at most {MAX_NAMED} symbols")));
    }
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_str()
                .map(str::to_owned)
                .ok_or_else(|| Error::field(format!("symbols[{i}]"), "must be a string"))
        })
        .collect()
}

/// A client's text frame as a command; anything else is an error naming the field.
pub fn command(text: &str) -> Result<Command, Error> {
    let v: Value = serde_json::from_str(text)
        .map_err(|_| Error::BadRequest("a message must be a JSON object".into()))?;
    if !v.is_object() {
        return Err(Error::BadRequest("a message must be a JSON object".into()));
    }
    match v.get("type").and_then(Value::as_str) {
        Some("subscribe") => Ok(Command::Subscribe(symbols(&v)?)),
        Some("unsubscribe") => Ok(Command::Unsubscribe(symbols(&v)?)),
        Some("ping") => Ok(Command::Ping),
        Some(other) => Err(Error::field(
            "type",
            format!("unknown message type '{other}': expected subscribe, unsubscribe or ping"),
        )),
        None => Err(Error::field("type", "is required: subscribe, unsubscribe or ping")),
    }
}

/// The answer to a command.
pub fn reply(r: &Reply) -> Value {
    match r {
        Reply::Subscribed { added, symbols } => {
            json!({"type": "subscribed", "added": added, "symbols": symbols})
        }
        Reply::Unsubscribed { removed, symbols } => {
            json!({"type": "unsubscribed", "removed": removed, "symbols": symbols})
        }
        Reply::Pong => json!({"type": "pong"}),
    }
}

/// An error message: the CRM error body with `"type":"error"`.
pub fn error(e: &Error) -> Value {
    let mut v = serde_json::to_value(ErrorBody::of(e)).unwrap_or_else(|_| json!({}));
    if let Some(o) = v.as_object_mut() {
        o.insert("type".into(), json!("error"));
    }
    v
}

/// A push: a quote is flat (`symbol`, `bid`, `ask`, `time`); a position, order or wallet
/// sits under its own key, in the shape its REST operation returns.
pub fn push(p: &Push) -> Value {
    match p {
        Push::Quote(q) => json!({
            "type": "quote",
            "symbol": q.symbol,
            "bid": q.bid,
            "ask": q.ask,
            "time": q.time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        }),
        Push::Position(v) => json!({"type": "position", "position": v}),
        Push::Order(v) => json!({"type": "order", "order": v}),
        Push::Wallet(v) => json!({"type": "wallet", "wallet": v}),
        Push::Lagged => json!({"type": "lagged"}),
    }
}

/// The exposures message: the Risk exposures body with `"type":"exposures"`.
pub fn exposures(e: &RiskExposures) -> Value {
    json!({"type": "exposures", "exposures": e.exposures})
}

/// What a frame from the client asks of a stream.
pub enum Incoming {
    /// A command to carry out.
    Command(Command),
    /// An answer due at once (an error naming what was wrong).
    Answer(Value),
    /// Nothing (a protocol ping or pong).
    Skip,
    /// The client closed, or the socket failed.
    Closed,
}

/// Reads one received frame: JSON text frames are commands, anything else is answered with an
/// error or ends the stream.
pub fn incoming(msg: Option<Result<Message, axum::Error>>) -> Incoming {
    match msg {
        Some(Ok(Message::Text(text))) => match command(text.as_str()) {
            Ok(c) => Incoming::Command(c),
            Err(e) => Incoming::Answer(error(&e)),
        },
        Some(Ok(Message::Binary(_))) => {
            Incoming::Answer(error(&Error::BadRequest("messages are JSON text frames".into())))
        }
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Incoming::Skip,
        Some(Ok(Message::Close(_)) | Err(_)) | None => Incoming::Closed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: Error) -> String {
        match e {
            Error::Validation(f) => f.first().map(|f| f.field.clone()).unwrap_or_default(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn commands_parse_and_bad_ones_name_the_field() {
        assert_eq!(
            command(r#"{"type":"subscribe","symbols":["EURUSD"]}"#).ok(),
            Some(Command::Subscribe(vec!["EURUSD".into()]))
        );
        assert_eq!(command(r#"{"type":"ping"}"#).ok(), Some(Command::Ping));
        let bad = |t: &str| command(t).map_or_else(field_of, |c| format!("{c:?}"));
        assert_eq!(bad(r#"{"type":"dance"}"#), "type");
        assert_eq!(bad(r#"{"symbols":[]}"#), "type");
        assert_eq!(bad(r#"{"type":"subscribe"}"#), "symbols");
        assert_eq!(bad(r#"{"type":"subscribe","symbols":"EURUSD"}"#), "symbols");
        assert_eq!(bad(r#"{"type":"unsubscribe","symbols":["A",1]}"#), "symbols[1]");
        assert!(matches!(command("not json"), Err(Error::BadRequest(_))));
        let e = error(&Error::field("symbols[0]", "unknown symbol 'XYZ'"));
        assert_eq!(e["type"], "error");
        assert_eq!(e["error"]["details"]["fields"][0]["field"], "symbols[0]");
    }
}
