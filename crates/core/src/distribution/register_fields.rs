//! The register-field types of the lead-provider platform (`GET /proxy/configuration/api/
//! register-fields`): which of them a lead-provider client must collect, from the fields a
//! lead account always carries and the lead-profile keys an offer's advertisers require.

/// The platform's register-field types, in its order.
pub const TYPES: [&str; 9] = [
    "FIRST_NAME",
    "LAST_NAME",
    "BIRTH_DATE",
    "PHONE",
    "COUNTRY",
    "STATE",
    "CITY",
    "ZIP_CODE",
    "STREET",
];

/// The types every lead account requires (seed 000's `account.name`, `surname`, `phone`).
pub const ALWAYS: [&str; 3] = ["FIRST_NAME", "LAST_NAME", "PHONE"];

/// The register-field type of a lead-profile key (`first_name`, `zip`, `countryCode`, ...),
/// if it is one: compared without case, `_` or `-`.
pub fn type_of(key: &str) -> Option<&'static str> {
    let k: String =
        key.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).collect::<String>().to_lowercase();
    Some(match k.as_str() {
        "firstname" | "name" => "FIRST_NAME",
        "lastname" | "surname" => "LAST_NAME",
        "birthdate" | "birthday" | "dateofbirth" | "dob" => "BIRTH_DATE",
        "phone" | "phonenumber" | "mobile" => "PHONE",
        "country" | "countrycode" => "COUNTRY",
        "state" | "region" | "province" => "STATE",
        "city" | "town" => "CITY",
        "zip" | "zipcode" | "postcode" | "postalcode" => "ZIP_CODE",
        "street" | "address" | "streetaddress" => "STREET",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_keys_map_to_types() {
        assert_eq!(type_of("first_name"), Some("FIRST_NAME"));
        assert_eq!(type_of("country_code"), Some("COUNTRY"));
        assert_eq!(type_of("Zip-Code"), Some("ZIP_CODE"));
        assert_eq!(type_of("birth_date"), Some("BIRTH_DATE"));
        assert_eq!(type_of("aff_sub"), None);
        assert!(ALWAYS.iter().all(|t| TYPES.contains(t)));
    }
}
