//! The built-in agreement texts, used until an admin saves the repository's own text for a
//! kind. Paragraphs are separated by blank lines; a line starting with `## ` is a heading.

/// The Standard Material Transfer Agreement's articles, condensed; the full text adopted by
/// the Governing Body in Resolution 2/2006 is incorporated by reference (Article 4.1 below).
pub const SMTA: &str = "\
## Preamble
This Agreement is made under the International Treaty on Plant Genetic Resources for Food and Agriculture (the Treaty), for the material of the Multilateral System of Access and Benefit-sharing listed in Annex 1. The Standard Material Transfer Agreement adopted by Resolution 2/2006 of the Governing Body of the Treaty applies in full; its terms prevail over this summary.

## Article 1 — Parties to the Agreement
The Provider and the Recipient are named above, each with its authorised official.

## Article 2 — Definitions
'Available without restriction', 'genetic material', 'Plant Genetic Resources for Food and Agriculture under Development', 'Product', 'sales' and 'to commercialize' have the meanings given in the Standard Material Transfer Agreement.

## Article 3 — Subject matter
The material listed in Annex 1 (the Material) and the available related information are transferred from the Provider to the Recipient subject to the terms and conditions of this Agreement.

## Article 4 — General provisions
4.1 This Agreement is entered into within the framework of the Multilateral System and is implemented in accordance with the objectives and provisions of the Treaty. 4.2 The parties recognise that they are subject to the applicable legal measures and procedures adopted by the Contracting Parties to the Treaty. 4.3 The Food and Agriculture Organization of the United Nations (FAO), on behalf of the Governing Body and its Multilateral System, is the third-party beneficiary under this Agreement.

## Article 5 — Rights and obligations of the Provider
The Provider undertakes that the Material is transferred in accordance with the Treaty: access is accorded expeditiously and free of charge or for no more than the minimal cost involved; all available passport data and other non-confidential descriptive information are made available; and the Provider shall periodically inform the Governing Body about the Material Transfer Agreements entered into.

## Article 6 — Rights and obligations of the Recipient
6.1 The Recipient shall use or conserve the Material only for the purposes of research, breeding and training for food and agriculture, excluding chemical, pharmaceutical and/or other non-food/feed industrial uses. 6.2 The Recipient shall not claim any intellectual property or other rights that limit the facilitated access to the Material, or its genetic parts or components, in the form received from the Multilateral System. 6.4 The Recipient shall make the Material available to any subsequent recipient only under the terms of a new Standard Material Transfer Agreement. 6.7–6.11 When the Recipient commercialises a Product that incorporates the Material, it shall pay the benefit-sharing payments set out in Annexes 2 to 4. 6.5 The Recipient shall make non-confidential information resulting from research and development carried out on the Material available to the Multilateral System.

## Article 7 — Applicable law
The applicable law shall be General Principles of Law, including the UNIDROIT Principles of International Commercial Contracts 2004, the objectives and the relevant provisions of the Treaty and, when necessary for interpretation, the decisions of the Governing Body.

## Article 8 — Dispute settlement
Disputes shall be settled by amicable settlement, then mediation, then arbitration, as set out in Article 8 of the Standard Material Transfer Agreement.

## Article 9 — Additional items
The Provider makes no warranties as to the safety of or title to the Material, nor as to the accuracy or correctness of any passport or other data provided with it; nor as to the quality, viability or purity (genetic or mechanical) of the Material. The phytosanitary condition of the Material is warranted only as described in any attached phytosanitary certificate. The Recipient assumes full responsibility for complying with the recipient nation's biosafety and import regulations.

## Article 10 — Signature / acceptance
The Provider and the Recipient may choose the method of acceptance: signature, shrink-wrap or click-wrap. The method used for this Agreement is recorded below and in the Provider's records.";

/// A UBMTA-style agreement (the 1995 Uniform Biological Material Transfer Agreement model)
/// for strains, cell lines, specimens and other research material.
pub const UBMTA: &str = "\
## Terms and conditions
1. The Provider retains ownership of the Material, including any Material contained or incorporated in Modifications. The Recipient retains ownership of Modifications (except the Material contained in them) and of substances made through the use of the Material that are not Progeny, Unmodified Derivatives or Modifications.

2. The Material is to be used for teaching and not-for-profit research purposes only, at the Recipient's institution, under the direction of the Recipient scientist. The Material will not be used in human subjects, in clinical trials, or for diagnostic purposes involving human subjects.

3. The Recipient shall not distribute or release the Material to any person other than laboratory personnel under the Recipient scientist's direct supervision, and shall refer any request for the Material to the Provider.

4. The Recipient shall handle the Material in accordance with its biosafety risk group and all applicable laws, regulations and permits, including import, biosafety and, for human material, the consent scope and ethics approval stated below.

5. Where the Material was accessed under the Nagoya Protocol or other access-and-benefit-sharing measures, the Recipient shall respect the mutually agreed terms and prior informed consent stated below; any commercial use requires a separate agreement with the Provider.

6. The Recipient shall acknowledge the source of the Material in any publication reporting its use, citing the accession's persistent identifier given in Annex 1.

7. The Material is experimental in nature and is provided WITHOUT WARRANTY OF MERCHANTABILITY OR FITNESS FOR A PARTICULAR PURPOSE OR ANY OTHER WARRANTY, EXPRESS OR IMPLIED. The Provider makes no representation that the use of the Material will not infringe any patent or other proprietary right.

8. Except to the extent prohibited by law, the Recipient assumes all liability for damages which may arise from its use, storage or disposal of the Material.

9. This agreement terminates on the earliest of: the Recipient's completion of its research with the Material; thirty (30) days' written notice by either party; or the date the Recipient or the Provider states in writing. On termination the Recipient shall discontinue its use of the Material and, at the Provider's request, return or destroy it.";

/// A heading or a paragraph of an agreement text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    Heading(&'a str),
    Paragraph(String),
}

/// Splits a text into headings (`## `) and paragraphs (separated by blank lines; single line
/// breaks inside a paragraph are kept).
pub fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut Vec<Block<'_>>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join("\n")));
            para.clear();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(h) = trimmed.strip_prefix("## ") {
            flush(&mut para, &mut out);
            out.push(Block::Heading(h.trim()));
        } else if trimmed.is_empty() {
            flush(&mut para, &mut out);
        } else {
            para.push(trimmed);
        }
    }
    flush(&mut para, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_paragraphs_are_told_apart() {
        let b = blocks("## One\nfirst line\nsecond line\n\nnext\n## Two");
        assert_eq!(
            b,
            vec![
                Block::Heading("One"),
                Block::Paragraph("first line\nsecond line".into()),
                Block::Paragraph("next".into()),
                Block::Heading("Two"),
            ]
        );
    }

    #[test]
    fn the_smta_text_carries_every_article() {
        let headings: Vec<_> = blocks(SMTA)
            .into_iter()
            .filter_map(|b| match b {
                Block::Heading(h) => Some(h.to_string()),
                Block::Paragraph(_) => None,
            })
            .collect();
        for n in 1..=10 {
            assert!(
                headings
                    .iter()
                    .any(|h| h.starts_with(&format!("Article {n} "))),
                "article {n} missing"
            );
        }
    }
}
