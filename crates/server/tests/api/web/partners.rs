//! The partners screens: introducers and their downline (tree, statistics, balance), the
//! commission ledger with a correction that posts the difference, the payout queue (approve
//! moves the money, once per key; reject keeps a reason) and banners (multipart upload with
//! the CSRF token first, the type sniffed, the window moved, deleted). Bad input is named
//! beside its field and changes nothing.

use axum_test::multipart::{MultipartForm, Part};
use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::{get, post};
use crate::helpers::money::{balance, m, manual_ok, money_of};
use crate::helpers::partners::{assign, make_ib, model, payable};
use crate::helpers::users::{PASSWORD, User};
use crate::helpers::web::{Portal, cookie_header, location, login};

/// An API admin token; an introducer (a customer with a USD wallet, on a two-level model:
/// 100 USD CPA at level 1, 10 at level 2) whose client deposited, so it earned 100 USD.
pub async fn earned(t: &TestApp) -> (String, User, User) {
    let admin = t.admin_token().await;
    let levels = json!([{"level": 1, "cpaAmount": 100}, {"level": 2, "cpaAmount": 10}]);
    let id = model(t, &admin, "Two tiers", levels).await;
    let ib = t.customer().admin(&admin).name("Ida", "Broker").with_wallet("USD", 0).create().await;
    make_ib(t, &admin, &ib.uuid, Some(id)).await;
    let client = t.customer().admin(&admin).with_wallet("USD", 0).create().await;
    assign(t, &admin, &client.uuid, &ib.uuid).await;
    manual_ok(t, &admin, client.wallets[0], json!({"type": "DEPOSIT", "amount": 10})).await;
    t.run_jobs().await;
    assert_eq!(payable(t, ib.id).await, m("100"));
    (admin, ib, client)
}

/// The introducer asks to be paid into its wallet; returns the request's id.
pub async fn ask_payout(t: &TestApp, ib: &User) -> i64 {
    let (s, b) =
        post(t, &ib.token, "/api/me/payout-requests", json!({"payoutWalletId": ib.wallets[0]}))
            .await;
    assert_eq!(s, 200, "{b}");
    let (_, b) = get(t, &ib.token, "/api/me/payout-requests").await;
    b["payoutRequests"][0]["id"].as_i64().unwrap()
}

/// The value of hidden input `name` in the first form whose action is `action`.
fn hidden_in(html: &str, action: &str, name: &str) -> String {
    let form = &html[html.find(&format!("action=\"{action}\"")).expect("the form")..];
    let marker = format!("name=\"{name}\" value=\"");
    let at = form.find(&marker).expect("the field") + marker.len();
    form[at..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_introducers_page_shows_its_tree_statistics_model_and_balance() {
    let t = TestApp::spawn().await;
    let (admin, ib, client) = earned(&t).await;
    // A sub-IB under the introducer, with a client of its own (level 2).
    let sub = t.customer().admin(&admin).create().await;
    make_ib(&t, &admin, &sub.uuid, None).await;
    assign(&t, &admin, &sub.uuid, &ib.uuid).await;
    let deep = t.customer().admin(&admin).create().await;
    assign(&t, &admin, &deep.uuid, &sub.uuid).await;
    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;

    // The list: both introducers; a search finds one by its name.
    let all = p.get(&t, "/admin/partners").await.text();
    assert!(all.contains(&ib.email) && all.contains(&sub.email), "{all}");
    let found = p.get(&t, "/admin/partners?q=ida").await;
    assert_eq!(found.status_code(), 200);
    let found = found.text();
    assert!(found.contains(&ib.email) && !found.contains(&sub.email), "{found}");
    assert!(found.contains(&format!("/admin/partners/{}", ib.uuid)));

    let r = p.get(&t, &format!("/admin/partners/{}", ib.uuid)).await;
    assert_eq!(r.status_code(), 200);
    let page = r.text();
    let section = |id: &str| {
        let at = page.find(&format!("<table id=\"{id}\"")).unwrap_or_else(|| panic!("{id}"));
        page[at..].split("</table>").next().unwrap().to_owned()
    };
    assert!(section("balance").contains("<td>100</td>"), "{}", section("balance"));
    assert!(section("model").contains("Two tiers"));
    let level1 = section("downline-1");
    assert!(level1.contains(&client.email) && level1.contains(&sub.email), "{level1}");
    assert!(level1.contains("sub-IB") && level1.contains("client"));
    assert!(section("downline-2").contains(&deep.email));
    // Statistics: two clients at level 1, 100 USD earned there.
    let stats = section("stats");
    assert!(stats.contains("<tr><td>1</td><td>2</td>"), "{stats}");
    assert!(stats.contains("<td>100</td>"), "{stats}");
    // A sub-IB's page names its introducer; a customer is not an introducer.
    let sub_page = p.get(&t, &format!("/admin/partners/{}", sub.uuid)).await.text();
    assert!(sub_page.contains(&format!("Introduced by {}", ib.email)));
    assert_eq!(p.get(&t, &format!("/admin/partners/{}", client.uuid)).await.status_code(), 404);
    // A conversion agent may not open them.
    let agent = t.user(Role::ConversionAgent).create().await;
    let a = login(&t, &agent.email, PASSWORD).await;
    assert_eq!(a.get(&t, &format!("/admin/partners/{}", ib.uuid)).await.status_code(), 403);
}

#[tokio::test]
async fn a_correction_posts_the_difference_and_a_bad_one_is_named_beside_its_field() {
    let t = TestApp::spawn().await;
    let (_, ib, client) = earned(&t).await;
    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;

    let list = p.get(&t, "/admin/commissions").await.text();
    assert!(list.contains(&ib.email) && list.contains(&client.email), "{list}");
    let mine = p.get(&t, &format!("/admin/commissions?introducer={}", ib.uuid)).await.text();
    let at = mine.find("href=\"/admin/commissions/").expect("a record link") + 25;
    let id: i64 = mine[at..].split('"').next().unwrap().parse().unwrap();
    let path = format!("/admin/commissions/{id}");
    assert!(!p.get(&t, "/admin/commissions?status=PAIDOUT").await.text().contains(&ib.email));
    assert!(!p.get(&t, "/admin/commissions?introducer=nobody").await.text().contains(&ib.email));
    assert_eq!(p.get(&t, "/admin/commissions?status=LOST").await.status_code(), 422);

    // Refused: blank, not a number, negative; each beside the amount, nothing posted.
    for bad in ["", "ten", "-5"] {
        let r = p.post(&t, &path, &[("corrected", bad), ("comments", "typo")]).await;
        assert_eq!(r.status_code(), 422, "{bad}");
        let html = r.text();
        assert!(html.contains("id=\"correction-form-corrected-error\""), "{bad}: {html}");
        assert!(html.contains("aria-describedby=\"correction-form-corrected-error\""));
    }
    assert_eq!(payable(&t, ib.id).await, m("100"));

    let r = p.post(&t, &path, &[("corrected", "120.5"), ("comments", "bonus tier")]).await;
    assert_eq!((r.status_code().as_u16(), location(&r)), (303, format!("{path}?done=corrected")));
    assert_eq!(payable(&t, ib.id).await, m("120.5"), "the difference was posted");
    let page = p.get(&t, &format!("{path}?done=corrected")).await.text();
    assert!(page.contains("Correction posted") && page.contains("<td>120.5</td>"), "{page}");
    assert!(page.contains("bonus tier"));
    // History is kept: the original amount still shows next to the correction.
    assert!(page.contains("100 USD"));
    p.post(&t, &path, &[("corrected", "40")]).await;
    assert_eq!(payable(&t, ib.id).await, m("40"), "the difference goes back");

    // A manager reads the ledger but may not correct it.
    let manager = t.user(Role::Manager).create().await;
    let mp = login(&t, &manager.email, PASSWORD).await;
    assert!(mp.get(&t, &path).await.text().contains("<fieldset disabled>"));
    assert_eq!(mp.post(&t, &path, &[("corrected", "1")]).await.status_code(), 403);
    assert_eq!(payable(&t, ib.id).await, m("40"));
}

#[tokio::test]
async fn a_payout_approved_in_the_queue_moves_the_money_once() {
    let t = TestApp::spawn().await;
    let (admin, ib, _) = earned(&t).await;
    let id = ask_payout(&t, &ib).await;
    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;

    let queue = p.get(&t, "/admin/payouts").await.text();
    assert!(queue.contains(&format!("id=\"p-{id}\"")) && queue.contains(&ib.email), "{queue}");
    let approve = format!("/admin/payouts/{id}/approve");
    let key = hidden_in(&queue, &approve, "key");
    // A reason over the limit is named beside its field; the request stays pending.
    let long = "x".repeat(1001);
    let r = p.post(&t, &format!("/admin/payouts/{id}/reject"), &[("reason", &long)]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"reason-error\""), "{}", r.text());
    assert!(r.text().contains("aria-describedby=\"reason-error\""));

    // Approved: twice with the same key lands on the same confirmation, paid once.
    let r = p.post(&t, &approve, &[("key", &key)]).await;
    assert_eq!((r.status_code().as_u16(), location(&r)), (303, "/admin/payouts?done=paid".into()));
    let again = p.post(&t, &approve, &[("key", &key)]).await;
    assert_eq!(location(&again), "/admin/payouts?done=paid");
    assert_eq!(money_of(&balance(&t, &admin, ib.wallets[0]).await["balance"]), m("100"));
    assert_eq!(payable(&t, ib.id).await, m("0"));
    let done = p.get(&t, "/admin/payouts?done=paid").await.text();
    assert!(done.contains("Payout approved") && !done.contains(&format!("id=\"p-{id}\"")));
    let approved = p.get(&t, "/admin/payouts?status=approved").await.text();
    assert!(approved.contains(&format!("id=\"p-{id}\"")) && approved.contains("APPROVED"));
    let (_, b) = get(&t, &admin, &format!("/api/payout-requests/{id}")).await;
    assert_eq!(b["status"], "APPROVED", "{b}");
    // Decided: a new decision is refused with the reason above the queue, not paid twice.
    let r = p.post(&t, &approve, &[("key", "fresh-key")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("no longer pending"), "{}", r.text());
    assert_eq!(money_of(&balance(&t, &admin, ib.wallets[0]).await["balance"]), m("100"));
}

#[tokio::test]
async fn a_payout_rejected_with_a_reason_releases_the_commission() {
    let t = TestApp::spawn().await;
    let (admin, ib, _) = earned(&t).await;
    let id = ask_payout(&t, &ib).await;
    // A risk officer reads the queue but has no decision forms, and may not decide.
    let risk = t.user(Role::Risk).create().await;
    let rp = login(&t, &risk.email, PASSWORD).await;
    let queue = rp.get(&t, "/admin/payouts").await.text();
    assert!(queue.contains(&format!("id=\"p-{id}\"")) && !queue.contains("/approve\""));
    assert_eq!(rp.post(&t, &format!("/admin/payouts/{id}/approve"), &[]).await.status_code(), 403);

    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;
    let r = p
        .post(&t, &format!("/admin/payouts/{id}/reject"), &[("reason", "documents missing")])
        .await;
    assert_eq!(location(&r), "/admin/payouts?done=declined");
    let rejected = p.get(&t, "/admin/payouts?status=rejected").await.text();
    assert!(rejected.contains("documents missing") && rejected.contains("REJECTED"));
    assert_eq!(money_of(&balance(&t, &admin, ib.wallets[0]).await["balance"]), m("0"));
    let (_, b) = get(&t, &admin, &format!("/api/payout-requests/{id}")).await;
    assert_eq!(b["rejectReason"], "documents missing", "{b}");
    let page = p.get(&t, &format!("/admin/partners/{}", ib.uuid)).await.text();
    let at = page.find("<table id=\"balance\"").unwrap();
    assert!(page[at..].contains("<td>100</td><td>0</td>"), "available again");
}

fn png(size: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.resize(size.max(8), 7);
    b
}

fn banner_form(
    csrf: Option<&str>,
    name: &str,
    start: &str,
    end: &str,
    file: Vec<u8>,
) -> MultipartForm {
    let mut f = MultipartForm::new();
    if let Some(c) = csrf {
        f = f.add_text("_csrf", c.to_owned());
    }
    f.add_text("name", name.to_owned())
        .add_text("start", start.to_owned())
        .add_text("end", end.to_owned())
        .add_text("link", "https://broker.example.com/promo")
        .add_text("target", "_blank")
        .add_part("file", Part::bytes(file).file_name("b.gif").mime_type("image/gif"))
}

async fn upload(t: &TestApp, p: &Portal, form: MultipartForm) -> axum_test::TestResponse {
    let (k, v) = cookie_header(&p.cookie);
    t.server.post("/admin/banners").add_header(k, v).multipart(form).await
}

#[tokio::test]
async fn a_banner_is_uploaded_with_its_token_first_sniffed_moved_and_deleted() {
    let t = TestApp::spawn().await;
    let staff = t.user(Role::Admin).create().await;
    let p = login(&t, &staff.email, PASSWORD).await;
    let csrf = p.csrf.clone();
    let today = chrono::Utc::now().date_naive();
    let (from, to) = (today.to_string(), (today + chrono::Days::new(30)).to_string());

    // Without the token: refused before the file is read; nothing stored.
    let r = upload(&t, &p, banner_form(None, "Spring", &from, &to, png(500))).await;
    assert_eq!(r.status_code(), 403);
    // Not an image (whatever its declared type), and an end before the start: beside the fields.
    let r =
        upload(&t, &p, banner_form(Some(&csrf), "Spring", &to, &from, b"GIF89a..".to_vec())).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"banner-file-error\""), "{html}");
    assert!(html.contains("id=\"banner-end-error\""), "{html}");
    assert!(html.contains("value=\"Spring\""), "what was typed is kept");
    let big =
        upload(&t, &p, banner_form(Some(&csrf), "Big", &from, &to, png(5 * 1024 * 1024 + 1))).await;
    assert_eq!(big.status_code(), 422);
    assert!(big.text().contains("at most 5120 KiB"), "{}", big.text());
    assert!(p.get(&t, "/admin/banners").await.text().contains("No banners."));

    let r = upload(&t, &p, banner_form(Some(&csrf), "Spring", &from, &to, png(500))).await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, "/admin/banners?done=uploaded".into())
    );
    let admin = t.admin_token().await;
    let (_, b) = get(&t, &admin, "/api/banners").await;
    let id = b["banners"][0]["id"].as_i64().unwrap_or_else(|| panic!("{b}"));
    let page = p.get(&t, "/admin/banners").await.text();
    let src = page.split("<img src=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert!(src.starts_with("/api/banners/files/"), "{src}");
    let img = t.server.get(&src).await;
    assert_eq!((img.status_code().as_u16(), img.as_bytes().len()), (200, 500));
    assert_eq!(img.content_type(), "image/png");

    // The window: an end before the start is named beside it; a good one is saved.
    let window = format!("/admin/banners/{id}/window");
    let r = p.post(&t, &window, &[("start", &to), ("end", &from)]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains(&format!("id=\"end-{id}-error\"")), "{}", r.text());
    let later = (today + chrono::Days::new(60)).to_string();
    let r = p.post(&t, &window, &[("start", &from), ("end", &later)]).await;
    assert_eq!(location(&r), "/admin/banners?done=saved");
    assert!(p.get(&t, "/admin/banners").await.text().contains(&format!("{later} 23:59")));

    // A manager sees the banners but no forms, and may not delete.
    let manager = t.user(Role::Manager).create().await;
    let mp = login(&t, &manager.email, PASSWORD).await;
    let seen = mp.get(&t, "/admin/banners").await.text();
    assert!(seen.contains("Spring") && !seen.contains("banner-form"));
    let delete = format!("/admin/banners/{id}/delete");
    assert_eq!(mp.post(&t, &delete, &[]).await.status_code(), 403);
    assert_eq!(location(&p.post(&t, &delete, &[]).await), "/admin/banners?done=deleted");
    assert!(p.get(&t, "/admin/banners").await.text().contains("No banners."));
    assert_eq!(t.server.get(&src).await.status_code(), 404, "the image went with it");
}
