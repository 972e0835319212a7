//! Users of any role, built fluently: `t.user(Role::Sales).create()`, or a customer with a
//! phone, a name and funded wallets:
//! `t.customer().phone("+35799").with_wallet("USD", 1000).create()`.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use sea_orm::Set;
use serde_json::json;

use super::TestApp;
use super::money::{currency_group, manual_ok, wallet};

/// The password every built user has.
pub const PASSWORD: &str = "Passw0rd!x";

/// A created user: its access token, public id, internal id, e-mail, and the wallets
/// built with it (in the order asked for).
pub struct User {
    pub token: String,
    pub uuid: String,
    pub id: i64,
    pub email: String,
    pub wallets: Vec<i64>,
}

/// What to create; see [`TestApp::user`].
pub struct UserBuilder<'a> {
    t: &'a TestApp,
    role: Role,
    email: Option<String>,
    phone: Option<String>,
    name: Option<(String, String)>,
    country: Option<String>,
    login: bool,
    admin: Option<String>,
    wallets: Vec<(String, i64)>,
}

impl TestApp {
    /// A user of `role`; nothing is created until [`UserBuilder::create`].
    pub fn user(&self, role: Role) -> UserBuilder<'_> {
        UserBuilder {
            t: self,
            role,
            email: None,
            phone: None,
            name: None,
            country: None,
            login: false,
            admin: None,
            wallets: Vec::new(),
        }
    }

    /// A customer; see [`TestApp::user`].
    pub fn customer(&self) -> UserBuilder<'_> {
        self.user(Role::Customer)
    }
}

impl User {
    /// The wallets built with the user, as an array of the size asked for.
    pub fn wallet_ids<const N: usize>(&self) -> [i64; N] {
        self.wallets.as_slice().try_into().expect("as many wallets as built")
    }
}

impl UserBuilder<'_> {
    /// The e-mail (default: unique under `test.local`).
    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    pub fn phone(mut self, phone: &str) -> Self {
        self.phone = Some(phone.to_owned());
        self
    }

    pub fn name(mut self, first: &str, last: &str) -> Self {
        self.name = Some((first.to_owned(), last.to_owned()));
        self
    }

    pub fn country(mut self, country: &str) -> Self {
        self.country = Some(country.to_owned());
        self
    }

    /// The token comes from `POST /api/sessions` (default: minted without a session).
    pub fn logged_in(mut self) -> Self {
        self.login = true;
        self
    }

    /// The admin token that creates and funds the wallets (default: a new admin).
    pub fn admin(mut self, admin: &str) -> Self {
        self.admin = Some(admin.to_owned());
        self
    }

    /// A wallet in the group named `currency` (created on first use), holding `funds`.
    pub fn with_wallet(mut self, currency: &str, funds: i64) -> Self {
        self.wallets.push((currency.to_owned(), funds));
        self
    }

    pub async fn create(mut self) -> User {
        let t = self.t;
        let wanted = std::mem::take(&mut self.wallets);
        let admin = self.admin.take();
        let mut user = self.person().await;
        if !wanted.is_empty() {
            let admin = match admin {
                Some(admin) => admin,
                None => t.user(Role::Admin).logged_in().person().await.token,
            };
            for (currency, funds) in wanted {
                let group = currency_group(t, &admin, &currency).await;
                let w = wallet(t, &admin, &user.uuid, group).await;
                if funds > 0 {
                    manual_ok(t, &admin, w, json!({"type": "DEPOSIT", "amount": funds})).await;
                }
                user.wallets.push(w);
            }
        }
        user
    }

    /// The user alone, without wallets.
    async fn person(self) -> User {
        let t = self.t;
        let email = self.email.unwrap_or_else(|| {
            format!("{}-{}@test.local", self.role.as_str(), uuid::Uuid::new_v4().simple())
        });
        t.create_user(self.role, &email, PASSWORD).await;
        let conn = t.app.db().conn();
        let mut row = users::find_by_email(conn, &email).await.unwrap().unwrap();
        if self.phone.is_some() || self.name.is_some() || self.country.is_some() {
            let mut ch = users::changes(row);
            if let Some(phone) = self.phone {
                ch.mobilenumber = Set(Some(phone));
            }
            if let Some((first, last)) = self.name {
                ch.firstname = Set(Some(first));
                ch.lastname = Set(Some(last));
            }
            if let Some(country) = self.country {
                ch.country = Set(Some(country));
            }
            row = users::save(conn, ch).await.unwrap();
        }
        let token = if self.login {
            t.login(&email, PASSWORD).await
        } else {
            brokercrm_app::identity::tokens::access_token(&t.app, &row, None).unwrap()
        };
        User { token, uuid: row.uuid, id: row.id, email, wallets: Vec::new() }
    }
}

/// A customer: (token, public id).
pub async fn customer(t: &TestApp) -> (String, String) {
    let c = t.customer().create().await;
    (c.token, c.uuid)
}
