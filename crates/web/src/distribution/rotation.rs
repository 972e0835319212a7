//! An offer's rotation (ReadLeadDistribution; changes ManageLeadDistribution): every
//! advertiser with whether it is in the rotation, its priority (lowest first) and weight
//! (weighted mode), and whether it is active; saved as a whole (`distribution::rotations`).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::distribution::Page;
use brokercrm_app::distribution::advertisers::{self, AdvertiserView};
use brokercrm_app::distribution::offers;
use brokercrm_app::distribution::rotations::{self, RotationEntryInput, RotationEntryView};
use brokercrm_core::{Error, Permission};

use crate::Web;
use crate::error::WebError;
use crate::form::Posted;
use crate::form::is_form_error;
use crate::layout::{Ctx, notice};
use crate::resource::{Field, Form, ResourcePage, Values};
use crate::session::Staff;

/// The form: four fields per advertiser, named by its id.
fn form(offer: &str, ads: &[AdvertiserView], current: &[RotationEntryView]) -> Form {
    let mut f = Form::post("rotation-form", format!("/admin/offers/{offer}/rotation"), "Rotation")
        .submit("Save rotation");
    for (i, a) in ads.iter().enumerate() {
        let e = current.iter().find(|e| e.advertiser_uuid == a.uuid);
        f = f
            .field(
                Field::checkbox(format!("in-{}", a.uuid), format!("{} in the rotation", a.name))
                    .checked(e.is_some()),
            )
            .field(
                Field::input(
                    "number",
                    format!("priority-{}", a.uuid),
                    format!("Priority of {}", a.name),
                )
                .value(e.map_or(10 * (i as i32 + 1), |e| e.priority)),
            )
            .field(
                Field::input(
                    "number",
                    format!("weight-{}", a.uuid),
                    format!("Weight of {}", a.name),
                )
                .value(e.map_or(1, |e| e.weight)),
            )
            .field(
                Field::checkbox(format!("active-{}", a.uuid), format!("{} active here", a.name))
                    .checked(e.is_none_or(|e| e.active)),
            );
    }
    f
}

async fn render(
    web: &Web,
    staff: &Staff,
    offer_uuid: &str,
    done: Option<&str>,
    refused: Option<(&Values, &Error)>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let offer = offers::get(&web.app, who, offer_uuid).await?;
    let ads = advertisers::list(&web.app, who, Page::new(Some(200), Some(0))?).await?;
    let current = rotations::get(&web.app, who, &offer.uuid).await?;
    let mut f = form(&offer.uuid, &ads, &current)
        .disabled(!who.role.can(Permission::ManageLeadDistribution));
    if let Some((typed, e)) = refused {
        let chosen: Vec<&AdvertiserView> =
            ads.iter().filter(|a| typed.checked(&format!("in-{}", a.uuid))).collect();
        let names: Vec<(String, String)> = chosen
            .iter()
            .enumerate()
            .flat_map(|(i, a)| {
                [("advertiserUuid", "in"), ("priority", "priority"), ("weight", "weight")]
                    .map(|(api, form)| (format!("[{i}].{api}"), format!("{form}-{}", a.uuid)))
            })
            .collect();
        let refs: Vec<(&str, &str)> = names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        f = f.refused(typed, e, &refs);
    }
    let ctx = Ctx::new(staff, format!("Rotation of {}", offer.name), "offers").notice(notice(done));
    let intro = format!(
        "Mode: {}. Leads go to the active advertisers in the rotation, lowest priority first (or by weight in weighted mode).",
        offer.rotation_mode
    );
    ResourcePage::new(ctx)
        .back(format!("/admin/offers/{}", offer.uuid), "The offer")
        .intro(intro)
        .form(f)
        .render()
}

/// `GET /admin/offers/{id}/rotation`.
pub async fn page(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Values>,
) -> Result<Response, WebError> {
    render(&web, &staff, &id, q.done(), None).await
}

fn number(f: &Values, name: &str) -> i64 {
    // A value that is not a number is sent on as out of range, so the use case names it.
    f.get(name).parse().unwrap_or(-1)
}

/// `POST /admin/offers/{id}/rotation`: replaces the rotation with the ticked advertisers.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<String>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let ads = advertisers::list(&web.app, who, Page::new(Some(200), Some(0))?).await?;
    let input: Vec<RotationEntryInput> = ads
        .iter()
        .filter(|a| f.checked(&format!("in-{}", a.uuid)))
        .map(|a| RotationEntryInput {
            advertiser_uuid: a.uuid.clone(),
            priority: number(&f, &format!("priority-{}", a.uuid)),
            weight: number(&f, &format!("weight-{}", a.uuid)),
            active: f.checked(&format!("active-{}", a.uuid)),
        })
        .collect();
    match rotations::replace(&web.app, who, &id, input).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/admin/offers/{id}/rotation?done=saved")).into_response())
        }
        Err(e) if is_form_error(&e) => render(&web, &staff, &id, None, Some((&f, &e))).await,
        Err(e) => Err(e.into()),
    }
}
