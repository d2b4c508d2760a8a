//! `biobank demo`: a realistic data set so a new user sees a living system at once.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use entities::accession;

use super::fields::RawInput;
use super::samples::{NewSample, add_sample};
use super::users::{NewUser, create_user};
use super::{Actor, accessions};
use crate::config::AppConfig;
use crate::domain::material::Role;
use crate::domain::pid::PidScheme;
use crate::error::{AppError, AppResult};

/// (genus, species, authority, crop, local names, countries of origin, SAMPSTAT codes)
type Crop = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

const CROPS: &[Crop] = &[
    (
        "Oryza",
        "sativa",
        "L.",
        "rice",
        &["Xiangzhan", "Nanjing 11", "Heinuo", "Zhenzhu Ai"],
        &["CHN", "PHL", "IND", "VNM"],
        &["300", "500", "410"],
    ),
    (
        "Triticum",
        "aestivum",
        "L.",
        "wheat",
        &["Chinese Spring", "Jimai 22", "Xiaoyan 6", "Bima 1"],
        &["CHN", "TUR", "IRN", "ETH"],
        &["300", "500"],
    ),
    (
        "Zea",
        "mays",
        "L.",
        "maize",
        &["Huangzao 4", "Mo17", "Dan 340", "Baimaya"],
        &["CHN", "MEX", "PER", "USA"],
        &["300", "414", "500"],
    ),
    (
        "Glycine",
        "soja",
        "Siebold & Zucc.",
        "wild soybean",
        &["Yesheng dadou"],
        &["CHN", "KOR", "JPN"],
        &["100", "110"],
    ),
    (
        "Glycine",
        "max",
        "(L.) Merr.",
        "soybean",
        &["Zhonghuang 13", "Williams 82", "Heinong 35"],
        &["CHN", "USA", "BRA"],
        &["300", "500"],
    ),
    (
        "Hordeum",
        "vulgare",
        "L.",
        "barley",
        &["Qingke", "Morex", "Zangqing 2000"],
        &["CHN", "ETH", "SYR"],
        &["300", "500"],
    ),
    (
        "Sorghum",
        "bicolor",
        "(L.) Moench",
        "sorghum",
        &["Hongyingzi", "BTx623", "Liaoza 10"],
        &["CHN", "SDN", "NGA"],
        &["300", "500"],
    ),
    (
        "Setaria",
        "italica",
        "(L.) P.Beauv.",
        "foxtail millet",
        &["Yugu 1", "Jingu 21"],
        &["CHN", "IND"],
        &["300", "500"],
    ),
    (
        "Brassica",
        "rapa",
        "L.",
        "Chinese cabbage",
        &["Beijing Xiaoza", "Qingdao 87"],
        &["CHN", "KOR"],
        &["300", "500"],
    ),
    (
        "Phaseolus",
        "vulgaris",
        "L.",
        "common bean",
        &["Caiyundou", "Jamapa"],
        &["MEX", "PER", "CHN"],
        &["100", "300"],
    ),
    (
        "Solanum",
        "lycopersicum",
        "L.",
        "tomato",
        &["Moneymaker", "Heinz 1706"],
        &["PER", "ECU", "CHN"],
        &["300", "500", "420"],
    ),
    (
        "Camellia",
        "sinensis",
        "(L.) Kuntze",
        "tea",
        &["Longjing 43", "Fuding Dabai"],
        &["CHN"],
        &["300", "500"],
    ),
];

/// (genus, species, organism type, risk group, medium, temperature °C)
const STRAINS: &[(&str, &str, &str, i32, &str, f64)] = &[
    ("Escherichia", "coli", "bacterium", 1, "LB agar", 37.0),
    (
        "Bacillus",
        "subtilis",
        "bacterium",
        1,
        "Nutrient agar",
        30.0,
    ),
    (
        "Lactiplantibacillus",
        "plantarum",
        "bacterium",
        1,
        "MRS agar",
        30.0,
    ),
    ("Streptomyces", "coelicolor", "bacterium", 1, "ISP 2", 28.0),
    (
        "Pseudomonas",
        "aeruginosa",
        "bacterium",
        2,
        "Cetrimide agar",
        37.0,
    ),
    (
        "Staphylococcus",
        "aureus",
        "bacterium",
        2,
        "Tryptic soy agar",
        37.0,
    ),
    ("Saccharomyces", "cerevisiae", "yeast", 1, "YPD agar", 28.0),
    (
        "Aspergillus",
        "niger",
        "fungus",
        1,
        "Potato dextrose agar",
        28.0,
    ),
    (
        "Trichoderma",
        "reesei",
        "fungus",
        1,
        "Potato dextrose agar",
        28.0,
    ),
    (
        "Candida",
        "albicans",
        "yeast",
        2,
        "Sabouraud dextrose agar",
        30.0,
    ),
];

/// (name, Cellosaurus accession, organism, tissue, disease, sex, risk group)
const CELL_LINES: &[(&str, &str, &str, &str, &str, &str, i32)] = &[
    (
        "HeLa",
        "CVCL_0030",
        "Homo sapiens",
        "Cervix",
        "Cervical adenocarcinoma",
        "female",
        2,
    ),
    (
        "HEK293",
        "CVCL_0045",
        "Homo sapiens",
        "Kidney",
        "Normal (embryonic)",
        "female",
        2,
    ),
    (
        "MCF-7",
        "CVCL_0031",
        "Homo sapiens",
        "Breast",
        "Invasive breast carcinoma",
        "female",
        1,
    ),
    (
        "A549",
        "CVCL_0023",
        "Homo sapiens",
        "Lung",
        "Lung adenocarcinoma",
        "male",
        1,
    ),
    (
        "Hep G2",
        "CVCL_0027",
        "Homo sapiens",
        "Liver",
        "Hepatoblastoma",
        "male",
        1,
    ),
    (
        "Jurkat",
        "CVCL_0065",
        "Homo sapiens",
        "Peripheral blood",
        "T-cell leukemia",
        "male",
        1,
    ),
    (
        "CHO-K1",
        "CVCL_0214",
        "Cricetulus griseus",
        "Ovary",
        "Normal",
        "female",
        1,
    ),
    (
        "Vero",
        "CVCL_0059",
        "Chlorocebus sabaeus",
        "Kidney",
        "Normal",
        "female",
        1,
    ),
];

const HELA_STR: &str = "Amelogenin:X;CSF1PO:9,10;D13S317:12,13.3;D16S539:9,10;D5S818:11,12;D7S820:8,12;TH01:7;TPOX:8,12;vWA:16,18";

const SPECIMEN_TYPES: &[(&str, &str, &str)] = &[
    ("serum", "SER-SST-A-B-N-A-E", "Venous blood"),
    ("plasma", "PL1-PED-A-B-N-A-E", "Venous blood"),
    ("dna", "DNA-PED-A-B-N-A-E", "Venous blood"),
    ("tissue_frozen", "TIS-SNP-A-B-N", "Liver"),
    ("urine", "URN-UCT-A-B-N-A-E", "Urine"),
];

/// (genus, species, breed, germplasm type)
const ANIMALS: &[(&str, &str, &str, &str)] = &[
    ("Bos", "taurus", "Qinchuan", "semen"),
    ("Bos", "taurus", "Holstein", "embryo"),
    ("Sus", "scrofa", "Meishan", "semen"),
    ("Gallus", "gallus", "Silkie", "somatic_cells"),
    ("Ovis", "aries", "Hu sheep", "semen"),
    ("Bubalus", "bubalis", "Binglangjiang", "semen"),
];

fn raw(pairs: &[(&str, String)]) -> RawInput {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn partial_date(rng: &mut StdRng, from: i32, to: i32) -> String {
    let y = rng.random_range(from..=to);
    match rng.random_range(0..4) {
        0 => format!("{y}----"),
        1 => format!("{y}{:02}--", rng.random_range(1..=12)),
        _ => format!(
            "{y}{:02}{:02}",
            rng.random_range(1..=12),
            rng.random_range(1..=28)
        ),
    }
}

/// Loads the data set; refuses a database that already holds accessions.
pub async fn load(db: &DatabaseConnection, config: &AppConfig) -> AppResult<String> {
    if accession::Entity::find().count(db).await? > 0 {
        return Err(AppError::conflict(
            "database",
            "the database already holds accessions; `biobank demo` only fills an empty one",
        ));
    }
    let pid = PidScheme::from_config(&config.pid_scheme, &config.pid_prefix, &config.base_url)
        .map_err(AppError::Internal)?;
    let system = Actor::system("demo");
    let mut out = String::from("Demo data loaded.\n\nAccounts (passwords shown once):\n");
    let mut curator_id = None;
    for (name, role, display) in [
        ("demo-admin", Role::Admin, "Wang Fang (admin)"),
        ("demo-curator", Role::Curator, "Li Na (curator)"),
        ("demo-technician", Role::Technician, "Zhao Lei (technician)"),
        (
            "demo-researcher",
            Role::Researcher,
            "Dr. Amina Yusuf (researcher)",
        ),
    ] {
        let password = super::random_token(12);
        let input = NewUser {
            username: name.into(),
            display_name: Some(display.into()),
            email: Some(format!("{name}@example.org")),
            password: password.clone(),
            role,
            institution: Some(if role == Role::Researcher {
                "University of Ibadan".into()
            } else {
                "National Crop Genebank".into()
            }),
        };
        match create_user(db, &system, input, "active").await {
            Ok(u) => {
                if role == Role::Curator {
                    curator_id = Some(u.id);
                }
                out.push_str(&format!("  {name:<18} {:<11} {password}\n", role.as_str()));
            }
            Err(AppError::Conflict { .. }) => {
                out.push_str(&format!("  {name:<18} (exists, unchanged)\n"))
            }
            Err(e) => return Err(e),
        }
    }
    let curator = Actor {
        user_id: curator_id,
        name: "demo-curator".into(),
        ip: None,
    };
    let inst = config.institute_code.clone();
    let mut rng = StdRng::seed_from_u64(20261125);
    let mut counts = [0usize; 5];

    for i in 1..=180 {
        let (genus, species, author, crop, names, countries, statuses) = pick(&mut rng, CROPS);
        let status = pick(&mut rng, statuses).to_string();
        let wild = status.starts_with('1');
        let (lat, lon) = (
            rng.random_range(18.0..45.0f64),
            rng.random_range(75.0..125.0f64),
        );
        let material = if *crop == "tea" {
            "clonal_plant"
        } else {
            "seed"
        };
        let r = raw(&[
            ("material_type", material.into()),
            (
                "accession_number",
                format!("{}{:05}", if material == "seed" { "ZDM" } else { "CL" }, i),
            ),
            ("institute_code", inst.clone()),
            ("genus", genus.to_string()),
            ("species", species.to_string()),
            ("species_authority", author.to_string()),
            ("crop_name", crop.to_string()),
            (
                "accession_names",
                if wild {
                    String::new()
                } else {
                    pick(&mut rng, names).to_string()
                },
            ),
            ("acquisition_date", partial_date(&mut rng, 1978, 2025)),
            (
                "acquisition_source",
                if wild {
                    "10".into()
                } else {
                    pick(&mut rng, &["20", "26", "30", "40"]).to_string()
                },
            ),
            ("origin_country", pick(&mut rng, countries).to_string()),
            (
                "latitude",
                if wild || rng.random_bool(0.4) {
                    format!("{lat:.4}")
                } else {
                    String::new()
                },
            ),
            (
                "longitude",
                if wild || rng.random_bool(0.4) {
                    format!("{lon:.4}")
                } else {
                    String::new()
                },
            ),
            ("elevation_m", rng.random_range(5..3200).to_string()),
            ("biological_status", status),
            ("mls_status", pick(&mut rng, &["1", "1", "0"]).to_string()),
            ("available", rng.random_bool(0.85).to_string()),
            (
                "storage_types",
                if material == "seed" {
                    "13".into()
                } else {
                    "20".into()
                },
            ),
            (
                "seed_storage_behaviour",
                if material == "seed" {
                    "orthodox".into()
                } else {
                    String::new()
                },
            ),
            (
                "thousand_seed_weight_g",
                if material == "seed" {
                    format!("{:.1}", rng.random_range(2.0..350.0f64))
                } else {
                    String::new()
                },
            ),
        ]);
        let a = accessions::register(db, &curator, &pid, &inst, r, true).await?;
        let seeds = rng.random_range(800..12000) as f64;
        let banked_on = chrono::NaiveDate::from_ymd_opt(1988 + (i * 7 % 35), 3, 15);
        let sample = |purpose: &str, qty: f64| NewSample {
            form: if material == "seed" {
                "seed_packet".into()
            } else {
                "plant".into()
            },
            quantity: qty,
            unit: if material == "seed" {
                "seeds".into()
            } else {
                "plants".into()
            },
            conservation_purpose: purpose.into(),
            moisture_pct: (material == "seed").then_some(5.5),
            banked_on,
            ..Default::default()
        };
        if material == "seed" {
            add_sample(db, &curator, a.core.id, sample("base", seeds)).await?;
            add_sample(
                db,
                &curator,
                a.core.id,
                sample("active", (seeds / 3.0).round()),
            )
            .await?;
        } else {
            add_sample(
                db,
                &curator,
                a.core.id,
                sample("active", rng.random_range(2..8) as f64),
            )
            .await?;
        }
        counts[0] += 1;
    }

    for i in 1..=60 {
        let (genus, species, kind, rg, medium, temp) = pick(&mut rng, STRAINS);
        let r = raw(&[
            ("material_type", "strain".into()),
            (
                "accession_number",
                format!("CGMCC {}.{}", 1 + i % 3, 1000 + i),
            ),
            ("institute_code", inst.clone()),
            ("genus", genus.to_string()),
            ("species", species.to_string()),
            (
                "strain_designation",
                format!("{}{}", &genus[..2].to_uppercase(), 100 + i),
            ),
            ("organism_type", kind.to_string()),
            ("type_strain", (i % 7 == 0).to_string()),
            ("risk_group", rg.to_string()),
            (
                "nagoya_status",
                pick(&mut rng, &["not_in_scope", "in_scope_compliant"]).to_string(),
            ),
            ("growth_medium", medium.to_string()),
            ("growth_temperature_c", temp.to_string()),
            (
                "form_of_supply",
                pick(&mut rng, &["freeze_dried", "frozen"]).to_string(),
            ),
            (
                "isolation_source",
                pick(
                    &mut rng,
                    &["soil", "fermented food", "clinical isolate", "river water"],
                )
                .to_string(),
            ),
            ("origin_country", "CHN".into()),
            ("available", "true".into()),
        ]);
        let a = accessions::register(db, &curator, &pid, &inst, r, true).await?;
        let sample = NewSample {
            form: "ampoule".into(),
            quantity: rng.random_range(8..40) as f64,
            unit: "ampoules".into(),
            conservation_purpose: "base".into(),
            generation: Some(1),
            ..Default::default()
        };
        add_sample(db, &curator, a.core.id, sample).await?;
        counts[1] += 1;
    }

    for (i, (name, cvcl, organism, tissue, disease, sex, rg)) in CELL_LINES.iter().enumerate() {
        let r = raw(&[
            ("material_type", "cell_line".into()),
            ("accession_number", format!("CL-{:04}", i + 1)),
            ("institute_code", inst.clone()),
            ("accession_names", name.to_string()),
            ("cellosaurus_accession", cvcl.to_string()),
            ("organism", organism.to_string()),
            ("tissue", tissue.to_string()),
            ("disease", disease.to_string()),
            ("sex", sex.to_string()),
            ("risk_group", rg.to_string()),
            ("nagoya_status", "not_in_scope".into()),
            ("culture_medium", "DMEM + 10% FBS".into()),
            ("passage_at_banking", rng.random_range(5..40).to_string()),
            ("bank_level", "master".into()),
            (
                "str_profile",
                if *name == "HeLa" {
                    HELA_STR.into()
                } else {
                    String::new()
                },
            ),
            ("available", "true".into()),
        ]);
        let a = accessions::register(db, &curator, &pid, &inst, r, true).await?;
        let vial = NewSample {
            form: "vial".into(),
            quantity: rng.random_range(10..30) as f64,
            unit: "vials".into(),
            conservation_purpose: "base".into(),
            passage: Some(12),
            ..Default::default()
        };
        add_sample(db, &curator, a.core.id, vial).await?;
        counts[2] += 1;
    }

    for i in 1..=40 {
        let (kind, sprec, site) = pick(&mut rng, SPECIMEN_TYPES);
        let r = raw(&[
            ("material_type", "specimen".into()),
            ("accession_number", format!("BB-{:06}", i)),
            ("institute_code", inst.clone()),
            (
                "donor_code",
                format!("D-2024-{:05}", rng.random_range(1..99999)),
            ),
            ("sample_source", "human".into()),
            ("specimen_type", kind.to_string()),
            ("anatomical_site", site.to_string()),
            ("sprec_code", sprec.to_string()),
            ("consent_status", "given".into()),
            (
                "consent_scope",
                "Broad consent for non-commercial research".into(),
            ),
            (
                "ethics_reference",
                format!("IRB-2024-{:03}", rng.random_range(1..300)),
            ),
            ("risk_group", "2".into()),
            ("available", rng.random_bool(0.5).to_string()),
        ]);
        let a = accessions::register(db, &curator, &pid, &inst, r, true).await?;
        let tube = NewSample {
            form: "tube".into(),
            quantity: 0.5,
            unit: "mL".into(),
            conservation_purpose: "base".into(),
            ..Default::default()
        };
        add_sample(db, &curator, a.core.id, tube).await?;
        counts[3] += 1;
    }

    for i in 1..=24 {
        let (genus, species, breed, kind) = pick(&mut rng, ANIMALS);
        let r = raw(&[
            ("material_type", "animal_germplasm".into()),
            ("accession_number", format!("AG-{:05}", i)),
            ("institute_code", inst.clone()),
            ("genus", genus.to_string()),
            ("species", species.to_string()),
            ("breed", breed.to_string()),
            ("germplasm_type", kind.to_string()),
            (
                "animal_sex",
                if *kind == "semen" {
                    "male".into()
                } else {
                    "unknown".into()
                },
            ),
            (
                "donor_animal_id",
                format!("{}-{}", &breed[..2].to_uppercase(), 2000 + i),
            ),
            ("origin_country", "CHN".into()),
            ("risk_group", "1".into()),
            ("available", "true".into()),
        ]);
        let a = accessions::register(db, &curator, &pid, &inst, r, true).await?;
        let straws = NewSample {
            form: "straw".into(),
            quantity: rng.random_range(50..400) as f64,
            unit: "straws".into(),
            conservation_purpose: "base".into(),
            ..Default::default()
        };
        add_sample(db, &curator, a.core.id, straws).await?;
        counts[4] += 1;
    }

    out.push_str(&super::demo_storage::place(db, &curator).await?);
    out.push_str(&super::demo_viability::record_histories(db, super::viability::today()).await?);
    out.push_str(&format!(
        "\nAccessions: {} plant, {} strains, {} cell lines, {} specimens, {} animal germplasm.\n",
        counts[0], counts[1], counts[2], counts[3], counts[4]
    ));
    Ok(out)
}
