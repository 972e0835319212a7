//! API keys (ManageApiKeys): the keys with their role, owner and last use (never a secret), a
//! new key shown once, a key revoked (`app::identity::api_keys`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::identity::api_keys::{self, KeyView};
use brokercrm_app::identity::staff;
use brokercrm_core::identity::auth::Role;

use crate::Web;
use crate::error::WebError;
use crate::form::{Empty, Posted, is_form_error};
use crate::layout::{Ctx, notice};
use crate::resource::{Action, Cell, Field, Form, ResourcePage, Row, Table, Values};
use crate::session::Staff;

fn create_form() -> Form {
    let roles = staff::roles()
        .chain([Role::Affiliate])
        .map(|r| (r.as_str().to_owned(), r.as_str().replace('_', " ")));
    Form::post("key-form", "/admin/api-keys", "Create an API key")
        .submit("Create key")
        .field(Field::text("name", "Name").required())
        .field(Field::select("role", "Role", roles).value("support"))
        .field(
            Field::text("owner", "Owner's user id (optional)")
                .hint("The key then acts as that user."),
        )
}

fn row(k: &KeyView) -> Row {
    let used = k.row.last_used_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string());
    let revoked = k.row.revoked_at.is_some();
    let r = Row::new(vec![
        Cell::text(&k.row.name),
        Cell::code(k.display_prefix()),
        Cell::text(k.row.role.replace('_', " ")),
        Cell::opt(k.owner_uuid.as_deref()),
        Cell::opt(used),
        Cell::text(if revoked { "revoked" } else { "active" }),
    ]);
    if revoked {
        return r;
    }
    let action = Action::post("Revoke", format!("/admin/api-keys/{}/revoke", k.row.uuid))
        .confirm(format!("Revoke the key {}? Integrations using it stop at once.", k.row.name));
    r.action(action)
}

async fn page(web: &Web, staff: &Staff, ctx: Ctx, form: Form) -> Result<ResourcePage, WebError> {
    let keys = api_keys::list(&web.app, staff.principal(), 0, 500).await?;
    let headers = ["Name", "Prefix", "Role", "Owner", "Last used", "State"];
    let table = Table::new("api-keys", "API keys", &headers).rows(keys.iter().map(row).collect());
    Ok(ResourcePage::new(ctx).table(table).form(form))
}

/// `GET /admin/api-keys`.
pub async fn list(
    State(web): State<Web>,
    staff: Staff,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    let ctx = Ctx::new(&staff, "API keys", "api-keys").notice(notice(q.done()));
    page(&web, &staff, ctx, create_form()).await?.render()
}

/// `POST /admin/api-keys`: creates a key and shows its secret once.
pub async fn create(
    State(web): State<Web>,
    staff: Staff,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let ctx = Ctx::new(&staff, "API keys", "api-keys");
    let owner = f.opt("owner");
    match api_keys::create(
        &web.app,
        staff.principal(),
        f.get("name"),
        f.get("role"),
        owner.as_deref(),
    )
    .await
    {
        Ok(k) => {
            let label = format!("Secret of the key {}", k.row.name);
            page(&web, &staff, ctx, create_form()).await?.secret(label, k.secret).render()
        }
        Err(e) if is_form_error(&e) => {
            let names = [("name", "name"), ("role", "role"), ("ownerId", "owner")];
            let form = create_form().refused(&f, &e, &names);
            page(&web, &staff, ctx, form).await?.render()
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/api-keys/{id}/revoke`.
pub async fn revoke(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(_): Posted<Empty>,
) -> Result<Response, WebError> {
    api_keys::revoke(&web.app, staff.principal(), &id).await?;
    Ok(Redirect::to("/admin/api-keys?done=revoked").into_response())
}
