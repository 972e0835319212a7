//! Onboarding steps a customer must complete, as the seed's `skipOnboardingSteps` enum names them
//! (identity's: the user record holds the skipped ones; onboarding re-exports them),
//! and the informational list of steps a customer has not done (returned at sign-in).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OnboardingStep {
    SignupDemoForm,
    SignupRealForm,
    CompleteAccountBeforeDepositForm,
    CompleteAccountBeforeWithdrawalForm,
    EmailConfirmation,
    KYC,
    PhoneConfirmation,
    DisclaimerBeforeDeposit,
}

impl OnboardingStep {
    pub const ALL: [OnboardingStep; 8] = [
        OnboardingStep::SignupDemoForm,
        OnboardingStep::SignupRealForm,
        OnboardingStep::CompleteAccountBeforeDepositForm,
        OnboardingStep::CompleteAccountBeforeWithdrawalForm,
        OnboardingStep::EmailConfirmation,
        OnboardingStep::KYC,
        OnboardingStep::PhoneConfirmation,
        OnboardingStep::DisclaimerBeforeDeposit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SignupDemoForm => "SignupDemoForm",
            Self::SignupRealForm => "SignupRealForm",
            Self::CompleteAccountBeforeDepositForm => "CompleteAccountBeforeDepositForm",
            Self::CompleteAccountBeforeWithdrawalForm => "CompleteAccountBeforeWithdrawalForm",
            Self::EmailConfirmation => "EmailConfirmation",
            Self::KYC => "KYC",
            Self::PhoneConfirmation => "PhoneConfirmation",
            Self::DisclaimerBeforeDeposit => "DisclaimerBeforeDeposit",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// What is known of a customer's progress.
#[derive(Debug, Clone, Default)]
pub struct OnboardingState {
    pub email_confirmed: bool,
    pub phone_confirmed: bool,
    pub disclaimer_accepted: bool,
    pub kyc_approved: bool,
    pub profile_complete: bool,
    pub skipped: Vec<OnboardingStep>,
}

/// Steps still to do, in the order a client should present them.
pub fn outstanding_steps(s: &OnboardingState) -> Vec<OnboardingStep> {
    let mut out = Vec::new();
    let mut want = |step: OnboardingStep, done: bool| {
        if !done && !s.skipped.contains(&step) {
            out.push(step);
        }
    };
    want(OnboardingStep::EmailConfirmation, s.email_confirmed);
    want(OnboardingStep::PhoneConfirmation, s.phone_confirmed);
    want(OnboardingStep::CompleteAccountBeforeDepositForm, s.profile_complete);
    want(OnboardingStep::DisclaimerBeforeDeposit, s.disclaimer_accepted);
    want(OnboardingStep::KYC, s.kyc_approved);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_and_done_steps_are_not_outstanding() {
        let s = OnboardingState {
            email_confirmed: true,
            skipped: vec![OnboardingStep::KYC],
            ..Default::default()
        };
        let steps = outstanding_steps(&s);
        assert!(!steps.contains(&OnboardingStep::EmailConfirmation));
        assert!(!steps.contains(&OnboardingStep::KYC));
        assert!(steps.contains(&OnboardingStep::PhoneConfirmation));
        for st in OnboardingStep::ALL {
            assert_eq!(OnboardingStep::parse(st.as_str()), Some(st));
        }
    }
}
