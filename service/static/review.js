"use strict";
// Why a prediction is flagged for review, in words (the API's `reason` and `language`).

const LANGUAGES = { de: "German", fr: "French", es: "Spanish", it: "Italian", pt: "Portuguese", nl: "Dutch", pl: "Polish", tr: "Turkish", sv: "Swedish", da: "Danish", ro: "Romanian", cs: "Czech", id: "Indonesian", hu: "Hungarian", fi: "Finnish", ru: "Russian", uk: "Ukrainian", sr: "Serbian", el: "Greek", hy: "Armenian", he: "Hebrew", ar: "Arabic", hi: "Hindi", bn: "Bengali", ta: "Tamil", th: "Thai", ka: "Georgian", am: "Amharic", ko: "Korean", ja: "Japanese", zh: "Chinese" };

function reviewReason(prediction) {
  switch (prediction.reason) {
    case "not_english": {
      const name = LANGUAGES[prediction.language];
      return `the text looks ${name ? name : "not English"}${name ? " (not English)" : ""}; the model only reads English, so its label means little.`;
    }
    case "unknown_words":
      return "most of its words are unknown to the model, so its label means little.";
    case "no_letters":
      return "the text has no letters.";
    default:
      return `confidence ${(100 * prediction.confidence).toFixed(0)}% is below the model's review threshold.`;
  }
}
