//! What the Lead Distribution operations share on the wire: paging, PATCH's null handling and the traffic filter.

use brokercrm_app::distribution::Page;
use brokercrm_core::Error;
use brokercrm_core::distribution::rules::TrafficFilter;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `limit` and `offset` of the tag's lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Rows to return, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
}

impl PageQuery {
    pub fn page(&self) -> Result<Page, Error> {
        Page::new(self.limit, self.offset)
    }
}

/// For PATCH bodies: an absent field is `None`, an explicit `null` is `Some(None)`.
pub fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// When an advertiser takes traffic: countries, weekdays and hours in a time zone.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrafficFilterDto {
    /// Allowed ISO-2 countries; empty: any.
    #[serde(default)]
    #[schema(example = json!(["DE", "AT"]))]
    pub countries: Vec<String>,
    /// Refused ISO-2 countries.
    #[serde(default)]
    pub excluded_countries: Vec<String>,
    /// Allowed ISO weekdays, 1 = Monday .. 7 = Sunday; empty: any.
    #[serde(default)]
    pub weekdays: Vec<u8>,
    /// First allowed hour (0-23), inclusive; with `hourTo`.
    pub hour_from: Option<u8>,
    /// Last allowed hour (0-23), inclusive; below `hourFrom` for overnight windows.
    pub hour_to: Option<u8>,
    /// IANA time zone of weekdays and hours (and of day caps); default UTC.
    #[schema(example = "Europe/Berlin")]
    pub timezone: Option<String>,
}

impl From<TrafficFilterDto> for TrafficFilter {
    fn from(f: TrafficFilterDto) -> Self {
        Self {
            countries: f.countries,
            excluded_countries: f.excluded_countries,
            weekdays: f.weekdays,
            hour_from: f.hour_from,
            hour_to: f.hour_to,
            timezone: f.timezone,
        }
    }
}

impl From<TrafficFilter> for TrafficFilterDto {
    fn from(f: TrafficFilter) -> Self {
        Self {
            countries: f.countries,
            excluded_countries: f.excluded_countries,
            weekdays: f.weekdays,
            hour_from: f.hour_from,
            hour_to: f.hour_to,
            timezone: f.timezone,
        }
    }
}
