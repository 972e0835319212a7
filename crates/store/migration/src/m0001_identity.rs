//! Identity: users, one-time user tokens, refresh tokens, API keys, OAuth clients and codes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{fk_user, index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("users")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("uuid", 36))
                .col(string_len_uniq("email", 254))
                .col(string_null("password_hash"))
                .col(string_len("role", 32))
                .col(string_len("status", 16))
                .col(string_len_null("firstname", 100))
                .col(string_len_null("lastname", 100))
                .col(string_len_null("mobilenumber", 32))
                .col(string_len_null("country", 2))
                .col(string_len_null("communication_language", 8))
                .col(string_len_null("local_currency", 8))
                .col(string_len_null("wtreferrer", 128))
                .col(string_len_null("source", 128))
                .col(boolean("wants_to_become_leader").default(false))
                .col(text("skip_onboarding_steps").default("[]"))
                .col(string_len_uniq("ref_key", 32))
                .col(string_len_null("avatar_key", 128))
                .col(string_len_null("avatar_token", 64))
                .col(string_len("kyc_status", 16).default("none"))
                .col(ts_null("confirmed_at"))
                .col(ts_null("phone_confirmed_at"))
                .col(ts_null("disclaimer_accepted_at"))
                .col(ts_null("termination_requested_at"))
                .col(ts_null("last_login_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("users", &["role"], false)).await?;
        m.create_index(index("users", &["avatar_token"], false)).await?;

        m.create_table(
            Table::create()
                .table("user_tokens")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len("purpose", 32))
                .col(string_len_uniq("token_hash", 64))
                .col(integer("attempts").default(0))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("user_tokens", "user_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("user_tokens", &["user_id", "purpose"], false)).await?;

        m.create_table(
            Table::create()
                .table("refresh_tokens")
                .col(big_pk_auto("id"))
                .col(big_integer("user_id"))
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("family", 36))
                .col(string_len_null("client_id", 64))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts_null("revoked_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("refresh_tokens", "user_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("refresh_tokens", &["family"], false)).await?;
        m.create_index(index("refresh_tokens", &["user_id"], false)).await?;

        m.create_table(
            Table::create()
                .table("api_keys")
                .col(big_pk_auto("id"))
                .col(string_len_uniq("uuid", 36))
                .col(string_len("name", 100))
                .col(string_len_uniq("prefix", 16))
                .col(string_len("key_hash", 64))
                .col(string_len("role", 32))
                .col(big_integer_null("owner_user_id"))
                .col(big_integer_null("created_by"))
                .col(ts_null("last_used_at"))
                .col(ts_null("revoked_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("api_keys", "owner_user_id"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("oauth_clients")
                .col(string_len("client_id", 64).primary_key())
                .col(string_len("name", 100))
                .col(string_len("secret_hash", 64))
                .col(text("redirect_uris"))
                .col(ts_null("revoked_at"))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("oauth_codes")
                .col(string_len("code_hash", 64).primary_key())
                .col(string_len("client_id", 64))
                .col(big_integer("user_id"))
                .col(text("redirect_uri"))
                .col(string_len_null("code_challenge", 128))
                .col(string_len_null("code_challenge_method", 8))
                .col(string_len_null("scope", 256))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk_user("oauth_codes", "user_id"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_oauth_codes_client_id")
                        .from("oauth_codes", "client_id")
                        .to("oauth_clients", "client_id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in
            ["oauth_codes", "oauth_clients", "api_keys", "refresh_tokens", "user_tokens", "users"]
        {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
