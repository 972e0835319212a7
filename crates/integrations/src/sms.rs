//! SMS sending behind a trait; the default only logs (no provider is wired yet).

use std::sync::Mutex;

use async_trait::async_trait;
use brokercrm_core::Result;

/// Sends a text message to a phone number (E.164 expected, e.g. `+447700900123`).
#[async_trait]
pub trait SmsSender: Send + Sync {
    async fn send(&self, to: &str, text: &str) -> Result<()>;
}

/// Default sender: logs the masked recipient and the text length, never the text (it carries
/// one-time codes). Sends nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct LogSmsSender;

#[async_trait]
impl SmsSender for LogSmsSender {
    async fn send(&self, to: &str, text: &str) -> Result<()> {
        tracing::info!(to = %mask_phone(to), chars = text.chars().count(), "sms not sent: no SMS provider configured");
        Ok(())
    }
}

/// `+447700900123` → `+44*******23`: keeps the first 3 and last 2 characters when long enough.
pub fn mask_phone(to: &str) -> String {
    let chars: Vec<char> = to.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    chars.iter().enumerate().map(|(i, c)| if i < 3 || i >= n - 2 { *c } else { '*' }).collect()
}

/// One recorded SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsMessage {
    pub to: String,
    pub text: String,
}

/// Keeps every message in memory, for tests of other crates.
#[derive(Debug, Default)]
pub struct RecordingSmsSender {
    sent: Mutex<Vec<SmsMessage>>,
}

impl RecordingSmsSender {
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages sent so far, oldest first.
    pub fn sent(&self) -> Vec<SmsMessage> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The most recent message, if any.
    pub fn last(&self) -> Option<SmsMessage> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).last().cloned()
    }

    /// Removes and returns all messages.
    pub fn take(&self) -> Vec<SmsMessage> {
        std::mem::take(&mut *self.sent.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[async_trait]
impl SmsSender for RecordingSmsSender {
    async fn send(&self, to: &str, text: &str) -> Result<()> {
        let msg = SmsMessage { to: to.to_owned(), text: text.to_owned() };
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).push(msg);
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn masks_phone_numbers() {
        assert_eq!(mask_phone("+447700900123"), "+44********23");
        assert_eq!(mask_phone("12345"), "*****");
    }

    #[tokio::test]
    async fn records_and_logs() {
        LogSmsSender.send("+447700900123", "code 123456").await.unwrap();
        let rec = RecordingSmsSender::new();
        rec.send("+1555", "hi").await.unwrap();
        assert_eq!(rec.last().unwrap().text, "hi");
        assert_eq!(rec.take().len(), 1);
        assert!(rec.sent().is_empty());
    }
}
