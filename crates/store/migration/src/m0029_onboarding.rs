//! Onboarding: which step belongs to which stage (`onboarding_steps`, one row per step) and
//! which customer fields each form shows, requires and lets the client edit
//! (`customer_field_configs`). The settings `kyc.required` and `kyc.required_for_deposits`
//! become stages of the KYC and e-mail confirmation steps, and are removed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::util::{index, ts};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every step with its default stage (`None`: not required anywhere).
const STEPS: [(&str, Option<&str>); 8] = [
    ("SignupDemoForm", Some("SignUp")),
    ("SignupRealForm", Some("SignUp")),
    ("CompleteAccountBeforeDepositForm", None),
    ("CompleteAccountBeforeWithdrawalForm", None),
    ("EmailConfirmation", None),
    ("KYC", None),
    ("PhoneConfirmation", None),
    ("DisclaimerBeforeDeposit", None),
];

/// Default fields of the forms: (field, step, required). Every default field is editable.
const FIELDS: [(&str, &str, bool); 13] = [
    ("email", "SignupDemoForm", true),
    ("firstname", "SignupDemoForm", true),
    ("lastname", "SignupDemoForm", true),
    ("email", "SignupRealForm", true),
    ("firstname", "SignupRealForm", true),
    ("lastname", "SignupRealForm", true),
    ("mobilenumber", "SignupRealForm", false),
    ("country", "SignupRealForm", false),
    ("firstname", "CompleteAccountBeforeDepositForm", true),
    ("lastname", "CompleteAccountBeforeDepositForm", true),
    ("mobilenumber", "CompleteAccountBeforeDepositForm", true),
    ("country", "CompleteAccountBeforeDepositForm", true),
    ("country", "CompleteAccountBeforeWithdrawalForm", true),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("onboarding_steps")
                .col(string_len("step", 64).primary_key())
                .col(string_len_null("stage", 32))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("customer_field_configs")
                .col(big_pk_auto("id"))
                .col(string_len("field", 64))
                // '' for the field's configuration outside any form (the profile).
                .col(string_len("step", 64))
                .col(boolean("required"))
                .col(boolean("editable"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("customer_field_configs", &["step", "field"], true)).await?;
        let db = m.get_connection();
        for (step, stage) in STEPS {
            let mut q = Query::insert();
            q.into_table("onboarding_steps").columns(["step", "stage", "updated_at"]).values_panic(
                [step.into(), stage.map(str::to_owned).into(), Expr::current_timestamp()],
            );
            m.exec_stmt(q.to_owned()).await?;
        }
        for (field, step, required) in FIELDS {
            let mut q = Query::insert();
            q.into_table("customer_field_configs")
                .columns(["field", "step", "required", "editable", "updated_at"])
                .values_panic([
                    field.into(),
                    step.into(),
                    required.into(),
                    true.into(),
                    Expr::current_timestamp(),
                ]);
            m.exec_stmt(q.to_owned()).await?;
        }
        // The old settings: withdrawals (and, with the second, deposits) needed KYC approved
        // and the e-mail confirmed. The earlier stage wins: deposit steps gate withdrawals too.
        for (key, stage) in
            [("kyc.required", "BeforeWithdrawal"), ("kyc.required_for_deposits", "BeforeDeposit")]
        {
            let on = db
                .query_one(
                    &Query::select()
                        .column("value")
                        .from("settings")
                        .and_where(Expr::col("key").eq(key))
                        .to_owned(),
                )
                .await?
                .map(|r| r.try_get::<String>("", "value"))
                .transpose()?
                .is_some_and(|v| v == "true");
            if on {
                let mut q = Query::update();
                q.table("onboarding_steps")
                    .value("stage", stage)
                    .and_where(Expr::col("step").is_in(["KYC", "EmailConfirmation"]));
                m.exec_stmt(q.to_owned()).await?;
            }
            let mut d = Query::delete();
            d.from_table("settings").and_where(Expr::col("key").eq(key));
            m.exec_stmt(d.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("customer_field_configs").to_owned()).await?;
        m.drop_table(Table::drop().table("onboarding_steps").to_owned()).await
    }
}
