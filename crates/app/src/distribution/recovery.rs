//! Recovering leads whose routing process died: a lead still "routing" after its lease ran
//! out is resumed with the advertisers not yet tried — unless a call to an advertiser was in
//! flight, in which case it may have been delivered, so it is marked "unknown" for staff and
//! never re-sent.

use brokercrm_core::Result;
use brokercrm_core::distribution::LeadErrorType;
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::lead_events as events;
use brokercrm_store::repo::distribution::leads::{self as lead_repo, Finish, LeadRow};
use brokercrm_store::repo::distribution::offers as offer_repo;

use super::intake::Failure;
use super::intake::outbound_of;
use super::intake::plan;
use super::intake::routing::Run;
use crate::App;

/// Resumes or marks every stale routing lead; returns how many were handled.
pub async fn recover_stale(app: &App) -> Result<usize> {
    let mut handled = 0;
    loop {
        let stale = lead_repo::stale(app.db().conn(), app.clock().now(), 100).await?;
        if stale.is_empty() {
            return Ok(handled);
        }
        for lead in stale {
            if recover(app, lead).await? {
                handled += 1;
            }
        }
    }
}

/// Takes over one stale lead; false if another process got it first.
async fn recover(app: &App, lead: LeadRow) -> Result<bool> {
    let lease = app.clock().now() + chrono::Duration::seconds(60);
    if !lead_repo::take_over(app.db().conn(), &lead, lease).await? {
        return Ok(false);
    }
    let trace = events::for_lead(app.db().conn(), lead.id).await?;
    let last_seq = trace.last().map_or(0, |e| e.seq);
    let offer = match lead.offer_id {
        Some(id) => offer_repo::find_by_id(app.db().conn(), id).await?,
        None => None,
    };
    let offer_name =
        offer.as_ref().map(|o| o.lead_source.clone().unwrap_or_else(|| o.name.clone()));
    let lead_goal = plan::lead_goal_id(app).await?;
    let plan = match &offer {
        Some(o) => Some(plan::offer_plan(app, o.clone()).await?),
        None => None,
    };
    let mut run =
        Run::new(app.clone(), lead.clone(), outbound_of(&lead, offer_name), lead_goal, last_seq);
    let tx = app.db().begin_write().await?;
    if let Some(last) = trace.last().filter(|e| e.kind == "attempt") {
        // The call may have reached the advertiser: never send it again.
        let msg = "the routing process stopped while an advertiser call was in flight; the outcome is unknown and the lead was not re-sent";
        run.event("recovered", last.advertiser_id, None, Some(msg.into()), None);
        let mut tx = tx;
        mark_unknown(&mut run, &mut tx, last.advertiser_id, msg).await?;
        commit(tx).await?;
        return Ok(true);
    }
    run.event(
        "recovered",
        None,
        None,
        Some("routing resumed after the routing process stopped".into()),
        None,
    );
    let Some(plan) = plan else {
        run.reject(
            &tx,
            Failure::new(LeadErrorType::RotationError, "the lead's offer no longer exists"),
        )
        .await?;
        commit(tx).await?;
        return Ok(true);
    };
    let tried: Vec<i64> = trace.iter().filter_map(|e| e.advertiser_id).collect();
    let rest = plan::order(&plan).into_iter().filter(|c| !tried.contains(&c.adv.id)).collect();
    run.route(tx, rest).await?;
    Ok(true)
}

async fn mark_unknown(
    run: &mut Run,
    tx: &mut brokercrm_store::DatabaseTransaction,
    advertiser_id: Option<i64>,
    msg: &str,
) -> Result<()> {
    run.flush_into(tx).await?;
    lead_repo::finish(
        tx,
        run.lead.id,
        Finish {
            status: lead_repo::UNKNOWN,
            advertiser_id,
            error_type: Some(LeadErrorType::Unknown.as_str().to_owned()),
            error_message: Some(msg.to_owned()),
            external_id: None,
            auto_login_url: None,
            profile: Some(super::intake::profile_json(&run.outbound, false)),
        },
    )
    .await?;
    Ok(())
}
