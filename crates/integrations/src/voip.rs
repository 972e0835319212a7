//! VoIP providers behind one trait: ask the provider to connect an agent to a phone number
//! ("click to call"). Voiso authenticates with its API key as a bearer token; Coperato with
//! the tenant URL it issues (the URL carries the tenant's token). Every request goes through
//! the SSRF-guarded client with a bounded time-out; the provider then reports the call's
//! progress to our webhooks, quoting our call id (`account_id` for Voiso, `guid` for Coperato).

use std::time::Duration;

use brokercrm_core::{Error, Result};
use serde_json::{Value, json};
use url::Url;

use crate::outbound::OutboundClient;

/// Upper bound on one click-to-call request.
const TIMEOUT: Duration = Duration::from_secs(15);

/// A call to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRequest {
    /// Our call id (UUID); the provider echoes it in its webhooks.
    pub call_id: String,
    /// The provider's agent (extension or login) who takes the call.
    pub agent: String,
    /// The number to dial, as stored on the customer or lead.
    pub number: String,
}

/// What the provider answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallStarted {
    /// The provider's own id of the call, when it returns one.
    pub provider_call_id: Option<String>,
}

/// One VoIP provider.
#[async_trait::async_trait]
pub trait VoipProvider: Send + Sync {
    /// `voiso` or `coperato`.
    fn name(&self) -> &'static str;
    /// Asks the provider to dial.
    async fn start_call(&self, http: &OutboundClient, call: &CallRequest) -> Result<CallStarted>;
}

/// Voiso: `POST {url}/api/v2/click2call`, `Authorization: Bearer <apiKey>`, JSON
/// `{"agent","number","account_id"}`; answers `{"call_id": ...}`.
#[derive(Debug, Clone)]
pub struct VoisoClient {
    pub base_url: String,
    pub api_key: String,
}

/// Coperato: `POST {url}/api/click2call`, JSON `{"agentId","phone","guid"}`; answers
/// `{"callId": ...}`.
#[derive(Debug, Clone)]
pub struct CoperatoClient {
    pub base_url: String,
}

fn endpoint(base: &str, path: &str) -> Result<Url> {
    Url::parse(&format!("{}/{path}", base.trim_end_matches('/')))
        .map_err(|_| Error::Upstream("the VoIP provider URL is not valid".into()))
}

/// Sends `req` (the guarded client's; its `Err` is a refused URL, passed on); a non-2xx
/// answer or a transport failure is `Upstream` (its text for logs).
async fn send(provider: &str, req: Result<reqwest::RequestBuilder>) -> Result<Value> {
    let resp = req?
        .timeout(TIMEOUT)
        .send()
        .await
        .map_err(|e| Error::Upstream(format!("{provider}: request failed: {e}")))?;
    let status = resp.status();
    if !status.is_success() {
        return Err(Error::Upstream(format!("{provider}: answered HTTP {status}")));
    }
    // A body that is not JSON is accepted: the call was queued; we just learn no id.
    Ok(resp.json::<Value>().await.unwrap_or(Value::Null))
}

fn id_in(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match v.get(*k) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

#[async_trait::async_trait]
impl VoipProvider for VoisoClient {
    fn name(&self) -> &'static str {
        "voiso"
    }

    async fn start_call(&self, http: &OutboundClient, call: &CallRequest) -> Result<CallStarted> {
        let url = endpoint(&self.base_url, "api/v2/click2call")?;
        let body = json!({"agent": call.agent, "number": call.number, "account_id": call.call_id});
        let req = http.post(url).map(|r| r.bearer_auth(&self.api_key).json(&body));
        let v = send("voiso", req).await?;
        Ok(CallStarted { provider_call_id: id_in(&v, &["call_id", "id"]) })
    }
}

#[async_trait::async_trait]
impl VoipProvider for CoperatoClient {
    fn name(&self) -> &'static str {
        "coperato"
    }

    async fn start_call(&self, http: &OutboundClient, call: &CallRequest) -> Result<CallStarted> {
        let url = endpoint(&self.base_url, "api/click2call")?;
        let body = json!({"agentId": call.agent, "phone": call.number, "guid": call.call_id});
        let v = send("coperato", http.post(url).map(|r| r.json(&body))).await?;
        Ok(CallStarted { provider_call_id: id_in(&v, &["callId", "id"]) })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use wiremock::matchers::{body_json, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[tokio::test]
    async fn voiso_sends_bearer_key_and_reads_the_call_id() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/v2/click2call"))
            .and(header("authorization", "Bearer k-123"))
            .and(body_json(json!({"agent": "101", "number": "+4412", "account_id": "c1"})))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"call_id": "v-9"})))
            .expect(1)
            .mount(&server)
            .await;
        let client = VoisoClient { base_url: server.uri(), api_key: "k-123".into() };
        let call =
            CallRequest { call_id: "c1".into(), agent: "101".into(), number: "+4412".into() };
        let http = OutboundClient::new(true, TIMEOUT).unwrap();
        let r = client.start_call(&http, &call).await.unwrap();
        assert_eq!(r.provider_call_id.as_deref(), Some("v-9"));
    }

    #[tokio::test]
    async fn coperato_failure_is_upstream_and_private_targets_are_refused() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/click2call"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let call = CallRequest { call_id: "c1".into(), agent: "7".into(), number: "+1".into() };
        let client = CoperatoClient { base_url: server.uri() };
        let open = OutboundClient::new(true, TIMEOUT).unwrap();
        assert!(matches!(client.start_call(&open, &call).await, Err(Error::Upstream(_))));
        let guarded = OutboundClient::new(false, TIMEOUT).unwrap();
        assert!(client.start_call(&guarded, &call).await.is_err());
    }
}
