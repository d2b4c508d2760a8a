//! BrAPI v2.1 Germplasm module: a breeding tool, without signing in, pages through the
//! repository's germplasm, reads one in MCPD form, and follows its seed lots and their ledger.
//! Every answer is in the BrAPI envelope and carries every field the official schemas require.

mod common;

use biobank::domain::material::Role;
use biobank::web::pages::url_encode;
use common::{TestApp, app, error_of, seed_accession};
use rocket::http::Status;
use serde_json::{Value, json};

/// The fields the BrAPI v2.1 schemas require of a Germplasm.
const GERMPLASM_REQUIRED: [&str; 32] = [
    "accessionNumber",
    "acquisitionDate",
    "additionalInfo",
    "biologicalStatusOfAccessionCode",
    "biologicalStatusOfAccessionDescription",
    "breedingMethodDbId",
    "breedingMethodName",
    "collection",
    "commonCropName",
    "countryOfOriginCode",
    "defaultDisplayName",
    "documentationURL",
    "donors",
    "externalReferences",
    "genus",
    "germplasmDbId",
    "germplasmName",
    "germplasmOrigin",
    "germplasmPUI",
    "germplasmPreprocessing",
    "instituteCode",
    "instituteName",
    "pedigree",
    "seedSource",
    "seedSourceDescription",
    "species",
    "speciesAuthority",
    "storageTypes",
    "subtaxa",
    "subtaxaAuthority",
    "synonyms",
    "taxonIds",
];

/// The fields the schemas require of a SeedLot.
const SEED_LOT_REQUIRED: [&str; 16] = [
    "additionalInfo",
    "amount",
    "contentMixture",
    "createdDate",
    "externalReferences",
    "lastUpdated",
    "locationDbId",
    "locationName",
    "programDbId",
    "programName",
    "seedLotDbId",
    "seedLotDescription",
    "seedLotName",
    "sourceCollection",
    "storageLocation",
    "units",
];

/// The fields the schemas require of a SeedLotTransaction.
const TRANSACTION_REQUIRED: [&str; 9] = [
    "additionalInfo",
    "amount",
    "externalReferences",
    "fromSeedLotDbId",
    "toSeedLotDbId",
    "transactionDbId",
    "transactionDescription",
    "transactionTimestamp",
    "units",
];

/// The fields the schemas require of germplasm in MCPD form.
const MCPD_REQUIRED: [&str; 24] = [
    "accessionNames",
    "accessionNumber",
    "acquisitionDate",
    "acquisitionSourceCode",
    "alternateIDs",
    "ancestralData",
    "biologicalStatusOfAccessionCode",
    "breedingInstitutes",
    "collectingInfo",
    "commonCropName",
    "countryOfOrigin",
    "donorInfo",
    "genus",
    "germplasmDbId",
    "germplasmPUI",
    "instituteCode",
    "mlsStatus",
    "remarks",
    "safetyDuplicateInstitutes",
    "species",
    "speciesAuthority",
    "storageTypeCodes",
    "subtaxon",
    "subtaxonAuthority",
];

fn has_all(object: &Value, required: &[&str], what: &str) {
    let map = object
        .as_object()
        .unwrap_or_else(|| panic!("{what} is an object: {object}"));
    for key in required {
        assert!(
            map.contains_key(*key),
            "{what} lacks required {key}: {object}"
        );
    }
}

/// GET as an anonymous breeding tool; checks the envelope's metadata on every answer.
async fn brapi(app: &TestApp, path: &str) -> (Status, Value) {
    let (status, body) = app.json("GET", path, None, None).await;
    if status == Status::Ok {
        let meta = &body["metadata"];
        let p = &meta["pagination"];
        for key in ["currentPage", "pageSize", "totalCount", "totalPages"] {
            assert!(p[key].is_u64(), "{path}: pagination.{key} in {body}");
        }
        assert!(meta["datafiles"].is_array(), "{path}: metadata.datafiles");
        let status_list = meta["status"].as_array().expect("metadata.status");
        assert!(
            status_list
                .iter()
                .all(|s| s["message"].is_string() && s["messageType"].is_string())
        );
        assert!(body.get("result").is_some(), "{path}: result");
    }
    (status, body)
}

fn data(body: &Value) -> &Vec<Value> {
    body["result"]["data"]
        .as_array()
        .unwrap_or_else(|| panic!("result.data is a list: {body}"))
}

fn ids(body: &Value, key: &str) -> Vec<String> {
    data(body)
        .iter()
        .map(|g| g[key].as_str().unwrap().to_string())
        .collect()
}

struct Germplasm {
    rice: i64,
    rice_pid: String,
    wheat: i64,
    landrace: i64,
    strain: i64,
    gone: i64,
    gone_lot: i64,
    lot: i64,
    child_lots: Vec<i64>,
}

/// Three rice and wheat accessions with seed lots, a strain (not germplasm) and a
/// deaccessioned accession (hidden); one lot is split into two aliquots.
async fn collection(app: &TestApp) -> Germplasm {
    let curator = app.token(Role::Curator).await;
    let mut rice = seed_accession("IRGC-001");
    rice["donor_name"] = json!("Dr Hidden Donor");
    rice["donor_institute_code"] = json!("PHL001");
    rice["donor_accession_number"] = json!("D-77");
    rice["other_numbers"] = json!("IRRI:12345;CHN002:NJ-11");
    rice["accession_names"] = json!("Nanjing 11;NJ11");
    rice["latitude"] = json!(32.05);
    rice["longitude"] = json!(118.78);
    rice["ancestral_data"] = json!("Guang-lu-ai 4/Zhen-zhu-ai");
    rice["collecting_institute_codes"] = json!("CHN004");
    let rice = app.register_accession(&curator, rice).await;
    let mut wheat = seed_accession("CGN-WHEAT-2");
    wheat["genus"] = json!("Triticum");
    wheat["species"] = json!("aestivum");
    wheat["crop_name"] = json!("wheat");
    wheat["accession_names"] = json!("Chinese Spring");
    let wheat = app.register_accession(&curator, wheat).await;
    let landrace = app
        .register_accession(&curator, seed_accession("IRGC-003"))
        .await;
    let strain = app
        .register_accession(
            &curator,
            json!({"material_type": "strain", "accession_number": "STR-1", "genus": "Bacillus",
                   "species": "subtilis", "risk_group": 1, "nagoya_status": "not_in_scope"}),
        )
        .await;
    let gone = app
        .register_accession(&curator, seed_accession("IRGC-GONE"))
        .await;
    let id = |v: &Value| v["id"].as_i64().unwrap();
    let lot = app
        .add_sample(&curator, id(&rice), common::sample_body(1000.0))
        .await;
    app.add_sample(&curator, id(&wheat), common::sample_body(300.0))
        .await;
    app.add_sample(
        &curator,
        id(&strain),
        json!({"form": "vial", "quantity": 5.0, "unit": "vials", "conservation_purpose": "base"}),
    )
    .await;
    let gone_lot = app
        .add_sample(&curator, id(&gone), common::sample_body(10.0))
        .await;
    let (status, body) = app
        .json(
            "POST",
            &format!("/api/v1/accessions/{}/deaccession", id(&gone)),
            Some(&curator),
            Some(json!({"reason": "duplicate"})),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    let (status, out) = app
        .json(
            "POST",
            &format!("/api/v1/samples/{}/aliquot", lot["id"]),
            Some(&curator),
            Some(json!({"count": 2, "quantity_each": 100.0})),
        )
        .await;
    assert_eq!(status, Status::Created, "{out}");
    Germplasm {
        rice: id(&rice),
        rice_pid: rice["pid"].as_str().unwrap().to_string(),
        wheat: id(&wheat),
        landrace: id(&landrace),
        strain: id(&strain),
        gone: id(&gone),
        gone_lot: id(&gone_lot),
        lot: id(&lot),
        child_lots: out["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect(),
    }
}

#[rocket::async_test]
async fn serverinfo_lists_the_germplasm_calls() {
    let app = app().await;
    let (status, body) = brapi(&app, "/brapi/v2/serverinfo").await;
    assert_eq!(status, Status::Ok);
    let result = &body["result"];
    for key in [
        "calls",
        "contactEmail",
        "documentationURL",
        "location",
        "organizationName",
        "organizationURL",
        "serverDescription",
        "serverName",
    ] {
        assert!(result.get(key).is_some(), "serverinfo has {key}");
    }
    let services: Vec<&str> = result["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["methods"], json!(["GET"]));
            assert_eq!(c["versions"], json!(["2.1"]));
            assert_eq!(c["contentTypes"], json!(["application/json"]));
            c["service"].as_str().unwrap()
        })
        .collect();
    for call in [
        "germplasm",
        "germplasm/{germplasmDbId}/mcpd",
        "seedlots",
        "seedlots/transactions",
    ] {
        assert!(services.contains(&call), "serverinfo names {call}");
    }
}

#[rocket::async_test]
async fn a_breeding_tool_pages_and_filters_germplasm_without_signing_in() {
    let app = app().await;
    let g = collection(&app).await;
    let (status, all) = brapi(&app, "/brapi/v2/germplasm").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(all["metadata"]["pagination"]["totalCount"], 3, "{all}");
    assert_eq!(all["metadata"]["pagination"]["pageSize"], 1000);
    assert_eq!(
        ids(&all, "germplasmDbId"),
        [g.rice, g.wheat, g.landrace].map(|i| i.to_string()),
        "plant accessions only: no strain, nothing deaccessioned"
    );
    for item in data(&all) {
        has_all(item, &GERMPLASM_REQUIRED, "germplasm");
    }
    assert!(
        !all.to_string().contains("Dr Hidden Donor"),
        "donor names are not public"
    );

    // Pages are 0-based.
    let (_, first) = brapi(&app, "/brapi/v2/germplasm?pageSize=2").await;
    let p = &first["metadata"]["pagination"];
    assert_eq!(
        (
            p["currentPage"].as_u64(),
            p["pageSize"].as_u64(),
            p["totalCount"].as_u64(),
            p["totalPages"].as_u64()
        ),
        (Some(0), Some(2), Some(3), Some(2))
    );
    assert_eq!(data(&first).len(), 2);
    let (_, second) = brapi(&app, "/brapi/v2/germplasm?page=1&pageSize=2").await;
    assert_eq!(ids(&second, "germplasmDbId"), [g.landrace.to_string()]);
    assert_eq!(second["metadata"]["pagination"]["currentPage"], 1);
    let (_, beyond) = brapi(&app, "/brapi/v2/germplasm?page=5&pageSize=2").await;
    assert!(data(&beyond).is_empty());

    // Filters, alone and ANDed.
    let rice = g.rice.to_string();
    let wheat = g.wheat.to_string();
    let landrace = g.landrace.to_string();
    for (query, want) in [
        ("genus=Triticum".to_string(), vec![wheat.clone()]),
        (
            "commonCropName=rice".to_string(),
            vec![rice.clone(), landrace.clone()],
        ),
        (
            "accessionNumber=IRGC-003".to_string(),
            vec![landrace.clone()],
        ),
        (
            format!("germplasmPUI={}", url_encode(&g.rice_pid)),
            vec![rice.clone()],
        ),
        (format!("germplasmDbId={}", g.wheat), vec![wheat.clone()]),
        ("germplasmDbId=not-a-number".to_string(), vec![]),
        (format!("germplasmDbId={}", g.strain), vec![]),
        (
            "germplasmName=Chinese%20Spring".to_string(),
            vec![wheat.clone()],
        ),
        ("synonym=IRRI:12345".to_string(), vec![rice.clone()]),
        ("synonym=NJ11".to_string(), vec![rice.clone()]),
        (
            "species=sativa&commonCropName=rice&accessionNumber=IRGC-001".to_string(),
            vec![rice.clone()],
        ),
        ("species=aestivum&commonCropName=rice".to_string(), vec![]),
    ] {
        let want: Vec<String> = want;
        let (status, body) = brapi(&app, &format!("/brapi/v2/germplasm?{query}")).await;
        assert_eq!(status, Status::Ok, "{query}: {body}");
        assert_eq!(ids(&body, "germplasmDbId"), want, "{query}");
        assert_eq!(
            body["metadata"]["pagination"]["totalCount"],
            want.len(),
            "{query}"
        );
    }

    // Bad paging is a 400 naming the parameter.
    for (query, field) in [
        ("pageSize=0", "pageSize"),
        ("pageSize=5000", "pageSize"),
        ("page=-1", "page"),
        ("page=two", "page"),
    ] {
        let (status, body) = app
            .json("GET", &format!("/brapi/v2/germplasm?{query}"), None, None)
            .await;
        assert_eq!(status, Status::BadRequest, "{query}: {body}");
        assert_eq!(error_of(&body)["field"], field, "{query}");
    }
}

#[rocket::async_test]
async fn one_germplasm_carries_its_passport_and_its_mcpd_form() {
    let app = app().await;
    let g = collection(&app).await;
    let (status, body) = brapi(&app, &format!("/brapi/v2/germplasm/{}", g.rice)).await;
    assert_eq!(status, Status::Ok);
    let r = &body["result"];
    has_all(r, &GERMPLASM_REQUIRED, "germplasm");
    assert_eq!(r["germplasmDbId"], g.rice.to_string());
    assert_eq!(r["germplasmPUI"], json!(g.rice_pid));
    assert_eq!(r["germplasmName"], "Nanjing 11");
    assert_eq!(r["accessionNumber"], "IRGC-001");
    assert_eq!(r["genus"], "Oryza");
    assert_eq!(r["species"], "sativa");
    assert_eq!(r["speciesAuthority"], "L.");
    assert_eq!(r["commonCropName"], "rice");
    assert_eq!(r["countryOfOriginCode"], "CHN");
    assert_eq!(r["instituteCode"], "CHN001");
    assert_eq!(r["acquisitionDate"], "1981-07");
    assert_eq!(r["biologicalStatusOfAccessionCode"], "300");
    assert_eq!(r["pedigree"], "Guang-lu-ai 4/Zhen-zhu-ai");
    assert_eq!(
        r["storageTypes"],
        json!([{"code": "13", "description": r["storageTypes"][0]["description"]}])
    );
    assert!(r["storageTypes"][0]["description"].as_str().unwrap().len() > 3);
    assert_eq!(
        r["donors"],
        json!([{"donorInstituteCode": "PHL001", "donorAccessionNumber": "D-77"}])
    );
    assert_eq!(
        r["synonyms"],
        json!([
            {"synonym": "NJ11", "type": "accession name"},
            {"synonym": "IRRI:12345", "type": "other number"},
            {"synonym": "CHN002:NJ-11", "type": "other number"},
        ])
    );
    assert_eq!(
        r["germplasmOrigin"][0]["coordinates"],
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [118.78, 32.05]}})
    );
    assert!(
        r["additionalInfo"]
            .as_object()
            .unwrap()
            .values()
            .all(Value::is_string),
        "additionalInfo values are strings"
    );
    assert!(!body.to_string().contains("Dr Hidden Donor"));

    let (status, body) = brapi(&app, &format!("/brapi/v2/germplasm/{}/mcpd", g.rice)).await;
    assert_eq!(status, Status::Ok);
    let m = &body["result"];
    has_all(m, &MCPD_REQUIRED, "MCPD");
    assert_eq!(m["accessionNames"], json!(["Nanjing 11", "NJ11"]));
    assert_eq!(m["acquisitionDate"], "198107--");
    assert_eq!(m["mlsStatus"], "1");
    assert_eq!(m["storageTypeCodes"], json!(["13"]));
    assert_eq!(m["donorInfo"]["donorInstitute"]["instituteCode"], "PHL001");
    assert_eq!(
        m["collectingInfo"]["collectingInstitutes"][0]["instituteCode"],
        "CHN004"
    );
    assert_eq!(
        m["collectingInfo"]["collectingSite"]["latitudeDecimal"],
        "32.05"
    );
    assert!(!body.to_string().contains("Dr Hidden Donor"));

    for missing in [
        g.strain.to_string(),
        g.gone.to_string(),
        "999999".into(),
        "abc".into(),
    ] {
        for suffix in ["", "/mcpd"] {
            let (status, body) = app
                .json(
                    "GET",
                    &format!("/brapi/v2/germplasm/{missing}{suffix}"),
                    None,
                    None,
                )
                .await;
            assert_eq!(status, Status::NotFound, "{missing}{suffix}: {body}");
            error_of(&body);
        }
    }
}

#[rocket::async_test]
async fn seed_lots_and_their_transactions_follow_the_ledger() {
    let app = app().await;
    let g = collection(&app).await;
    let (status, lots) = brapi(&app, "/brapi/v2/seedlots").await;
    assert_eq!(status, Status::Ok);
    // The rice lot, its two aliquots and the wheat lot; not the strain's vials, not the
    // deaccessioned accession's lot.
    assert_eq!(lots["metadata"]["pagination"]["totalCount"], 4, "{lots}");
    for lot in data(&lots) {
        has_all(lot, &SEED_LOT_REQUIRED, "seed lot");
        has_all(
            &lot["contentMixture"][0],
            &[
                "crossDbId",
                "crossName",
                "germplasmDbId",
                "germplasmName",
                "mixturePercentage",
            ],
            "content mixture",
        );
    }
    let (_, rice_lots) = brapi(
        &app,
        &format!("/brapi/v2/seedlots?germplasmDbId={}", g.rice),
    )
    .await;
    let mut want: Vec<String> = [g.lot]
        .iter()
        .chain(&g.child_lots)
        .map(|i| i.to_string())
        .collect();
    want.sort();
    let mut got = ids(&rice_lots, "seedLotDbId");
    got.sort();
    assert_eq!(got, want);

    let (status, one) = brapi(&app, &format!("/brapi/v2/seedlots/{}", g.lot)).await;
    assert_eq!(status, Status::Ok);
    let lot = &one["result"];
    has_all(lot, &SEED_LOT_REQUIRED, "seed lot");
    assert_eq!(
        lot["amount"],
        json!(800.0),
        "1000 seeds less two aliquots of 100"
    );
    assert_eq!(lot["units"], "seeds");
    assert_eq!(
        lot["contentMixture"][0]["germplasmDbId"],
        g.rice.to_string()
    );
    assert_eq!(lot["contentMixture"][0]["germplasmName"], "Nanjing 11");
    assert_eq!(lot["contentMixture"][0]["mixturePercentage"], 100);
    let (status, _) = app
        .json(
            "GET",
            &format!("/brapi/v2/seedlots/{}", g.gone_lot),
            None,
            None,
        )
        .await;
    assert_eq!(status, Status::NotFound);

    // The lot's ledger: 1000 in, then 200 out to its two aliquots.
    let (status, tx) = brapi(&app, &format!("/brapi/v2/seedlots/{}/transactions", g.lot)).await;
    assert_eq!(status, Status::Ok);
    let entries = data(&tx);
    for t in entries {
        has_all(t, &TRANSACTION_REQUIRED, "transaction");
    }
    let lot_id = g.lot.to_string();
    let moves: Vec<(Value, Value, f64)> = entries
        .iter()
        .map(|t| {
            (
                t["fromSeedLotDbId"].clone(),
                t["toSeedLotDbId"].clone(),
                t["amount"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            (Value::Null, json!(lot_id), 1000.0),
            (json!(lot_id), Value::Null, 200.0),
        ]
    );
    // Across all lots: the same entries, plus each aliquot's and the wheat lot's own.
    let (_, all) = brapi(&app, "/brapi/v2/seedlots/transactions").await;
    assert_eq!(
        all["metadata"]["pagination"]["totalCount"],
        2 + 2 + 1,
        "{all}"
    );
    let (_, for_rice) = brapi(
        &app,
        &format!("/brapi/v2/seedlots/transactions?germplasmDbId={}", g.rice),
    )
    .await;
    assert_eq!(data(&for_rice).len(), 4);
    let first = entries[0]["transactionDbId"].as_str().unwrap();
    let (_, by_id) = brapi(
        &app,
        &format!("/brapi/v2/seedlots/transactions?transactionDbId={first}"),
    )
    .await;
    assert_eq!(ids(&by_id, "transactionDbId"), [first]);
    let (_, paged) = brapi(&app, "/brapi/v2/seedlots/transactions?page=2&pageSize=2").await;
    assert_eq!(data(&paged).len(), 1, "the fifth of five");
    assert_eq!(paged["metadata"]["pagination"]["totalPages"], 3);
}

#[rocket::async_test]
async fn common_crop_names_come_from_the_germplasm() {
    let app = app().await;
    collection(&app).await;
    let (status, body) = brapi(&app, "/brapi/v2/commoncropnames").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body["result"]["data"], json!(["rice", "wheat"]));
    assert_eq!(body["metadata"]["pagination"]["totalCount"], 2);
}
