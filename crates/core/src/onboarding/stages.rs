//! The four stages of onboarding, in order, and what a customer must still do before one.
//!
//! Each step belongs to at most one stage. Stages are cumulative: a customer reaches a stage
//! once every step of that stage and of the stages before it is done (signing in needs the
//! `BeforeSignIn` steps; a withdrawal needs the `BeforeSignIn`, `BeforeDeposit` and
//! `BeforeWithdrawal` ones). A step the customer was allowed to skip counts as done.

use serde::{Deserialize, Serialize};

use crate::identity::onboarding_steps::OnboardingStep;

/// A point in the customer's life where steps are enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Stage {
    SignUp,
    BeforeSignIn,
    BeforeDeposit,
    BeforeWithdrawal,
}

impl Stage {
    pub const ALL: [Stage; 4] =
        [Stage::SignUp, Stage::BeforeSignIn, Stage::BeforeDeposit, Stage::BeforeWithdrawal];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignUp => "SignUp",
            Self::BeforeSignIn => "BeforeSignIn",
            Self::BeforeDeposit => "BeforeDeposit",
            Self::BeforeWithdrawal => "BeforeWithdrawal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether `step` may be placed at this stage: the sign-up stage holds only the sign-up
    /// forms (done by signing up); before sign-in only what needs no session (the sign-up
    /// forms and the e-mail link) — anything else there would lock the customer out.
    pub fn accepts(self, step: OnboardingStep) -> bool {
        use OnboardingStep as S;
        match self {
            Self::SignUp => matches!(step, S::SignupDemoForm | S::SignupRealForm),
            Self::BeforeSignIn => {
                matches!(step, S::SignupDemoForm | S::SignupRealForm | S::EmailConfirmation)
            }
            Self::BeforeDeposit | Self::BeforeWithdrawal => true,
        }
    }
}

/// Steps of `config` still to do before `stage`, in the order of [`OnboardingStep::ALL`].
/// `done` says whether the customer has completed (or skipped) a step. Steps of the `SignUp`
/// stage are never pending: signing up enforced them, and a customer cannot sign up again.
pub fn pending(
    config: &[(OnboardingStep, Option<Stage>)],
    stage: Stage,
    done: impl Fn(OnboardingStep) -> bool,
) -> Vec<OnboardingStep> {
    OnboardingStep::ALL
        .into_iter()
        .filter(|step| {
            config.iter().any(|(s, st)| s == step && st.is_some_and(|st| enforced(st, stage)))
        })
        .filter(|step| !done(*step))
        .collect()
}

/// Whether a step at stage `at` is enforced before `stage` (cumulative, `SignUp` excepted).
pub fn enforced(at: Stage, stage: Stage) -> bool {
    at > Stage::SignUp && at <= stage
}

#[cfg(test)]
mod tests {
    use super::*;
    use OnboardingStep as S;

    #[test]
    fn stages_are_cumulative_and_done_steps_drop_out() {
        let config = [
            (S::SignupRealForm, Some(Stage::SignUp)),
            (S::EmailConfirmation, Some(Stage::BeforeSignIn)),
            (S::KYC, Some(Stage::BeforeDeposit)),
            (S::PhoneConfirmation, Some(Stage::BeforeWithdrawal)),
            (S::DisclaimerBeforeDeposit, None),
        ];
        let none = |_| false;
        assert_eq!(pending(&config, Stage::SignUp, none), []);
        assert_eq!(pending(&config, Stage::BeforeSignIn, none), [S::EmailConfirmation]);
        assert_eq!(pending(&config, Stage::BeforeDeposit, none), [S::EmailConfirmation, S::KYC]);
        assert_eq!(
            pending(&config, Stage::BeforeWithdrawal, |s| s == S::EmailConfirmation),
            [S::KYC, S::PhoneConfirmation]
        );
        for st in Stage::ALL {
            assert_eq!(Stage::parse(st.as_str()), Some(st));
        }
        assert!(!Stage::BeforeSignIn.accepts(S::KYC));
        assert!(!Stage::SignUp.accepts(S::EmailConfirmation));
        assert!(Stage::BeforeDeposit.accepts(S::KYC));
    }
}
