/**
 * @module The closed set of issue codes, with the rule each one stands for. Codes are stable API: tools match on
 * them, so a code is never renamed or reused for another rule.
 */

/** Every issue code, with a one-line description of the rule (also used in documentation). */
export const ISSUE_CODES = {
  // Shape and types (core draft §2.4, §4)
  'missing-field': 'A field the draft requires is absent.',
  'wrong-type': 'A field has the wrong JSON type.',
  'empty-string': 'A field that must carry a value is an empty string.',
  'bad-date': 'A Date is not an RFC 3339 date-time with a zone designator.',
  'bad-uuid': 'A uuid is not 8-4-4-4-12 hexadecimal.',
  'uuid-not-rfc': 'A uuid is syntactically valid but has no RFC 9562 variant, or is nil.',
  'bad-mediatype': 'A mediatype is not "type/subtype" with optional parameters.',
  'bad-content-hash': 'A content_hash token is not "<alg>-<base64url digest>".',
  'no-known-hash-algorithm':
    'No content_hash token uses an algorithm the library knows (sha256, sha384, sha512).',
  'negative-number':
    'A count, index or duration is negative or not an integer where one is required.',
  'unknown-version': 'The `vcon` version string is not one this library knows.',
  'version-not-current': 'The `vcon` version string is not "0.4.0" (strict mode reads 0.4.0 only).',
  // Enumerations
  'unknown-dialog-type': 'A dialog type is not one of the registered types.',
  'unknown-disposition': 'A disposition is not one of the six the draft allows.',
  'unknown-party-event': 'A party_history event is not one of the eight the draft allows.',
  'unknown-encoding': 'An encoding is not base64url, json or none.',
  'unknown-analysis-type': 'An analysis type is not on the draft’s recommended list.',
  'unknown-party-type': 'A party type is not person, bot or organization.',
  // Content (core draft §2.4.1, §2.4.2)
  'missing-encoding': 'A non-empty body has no encoding.',
  'body-not-string': 'A body that is not a string needs encoding "json".',
  'bad-base64url': 'A base64url body has characters outside the unpadded base64url alphabet.',
  'bad-json-body': 'A string body with encoding "json" does not parse as JSON.',
  'url-without-hash': 'A url has no content_hash.',
  'url-not-https': 'A url does not use the https scheme.',
  'bad-url': 'A url does not parse as an absolute URL.',
  'body-and-url': 'Content is given both inline (body) and by reference (url).',
  'missing-content': 'A recording or text dialog has neither body nor url.',
  'missing-mediatype': 'Inline content has no mediatype.',
  // Per-dialog-type rules (core draft §4.3, the matrix in the notes §a.4)
  'content-not-allowed': 'This dialog type must not carry content (body, url).',
  'field-not-allowed': 'This field must not appear on this dialog type.',
  'disposition-required': 'An incomplete dialog needs a disposition.',
  'disposition-unexpected': 'Only incomplete dialogs should carry a disposition.',
  'transfer-field-missing':
    'A transfer dialog should name transferee, transferor, transfer_target, original and target_dialog.',
  'recordings-required': 'A recording-set dialog needs its recordings list.',
  'button-required': 'A keydown or keyup event needs a button.',
  // Cross-field checks (notes §a.12)
  'party-index-out-of-range': 'A party index does not point at an entry of parties.',
  'dialog-index-out-of-range': 'A dialog index does not point at an entry of dialog.',
  'attachment-index-out-of-range': 'An attachment index does not point at an entry of attachments.',
  'wrong-target-type': 'An index points at a dialog of a type the field does not allow.',
  'recording-set-mismatch': 'A recording and its recording-set do not list each other.',
  'session-id-shape': 'A multi-channel session_id does not mirror the shape of parties.',
  'redacted-and-amended': 'A vCon carries both redacted and amended.',
  'critical-not-in-extensions': 'A critical extension is not also listed in extensions.',
  'missing-parties': 'The vCon has no parties.',
  'reserved-field': 'A field is reserved by the draft (group) and has no defined meaning.',
  // Extensions (core draft §2.5)
  'critical-unsupported': 'critical names an extension this reader does not support.',
  'extension-invalid': 'Data of a declared or recognised extension breaks that extension’s rules.',
  'extension-undeclared':
    'Extension data is present but the extension is not listed in extensions.',
  'superseded-extension':
    'Data follows a superseded extension draft (consent-00); it is read, never written.',
  'lawful-basis-hash-mismatch':
    'A lawful_basis content_hash does not match the JCS-canonicalised body.',
  'lawful-basis-hash-unchecked':
    'A lawful_basis content_hash uses an algorithm or canonicalization that cannot be computed here.',
  'sip-credentials-present':
    'A SIP signaling attachment carries Authorization or Proxy-Authorization credentials.',
  // Upgrade repairs (notes §d): always warnings, one per repair or guess
  'upgraded-version': 'The version was detected and the vCon upgraded to 0.4.0.',
  'renamed-field': 'A legacy field name was renamed to its 0.4.0 name.',
  'converted-hash': 'Legacy alg + signature were combined into a content_hash token.',
  'converted-session-id': 'A string session_id was split into {local, remote}.',
  'inferred-encoding':
    'A missing or inconsistent encoding was inferred from the body and mediatype.',
  'repaired-body': 'A body was converted to match its encoding (native JSON, base64 padding).',
  'assumed-utc': 'A Date without a zone designator was read as UTC.',
  'dropped-empty': 'An empty placeholder (redacted: {}, group: [], appended: null) was removed.',
  'repaired-value': 'A value was normalised to the shape 0.4.0 requires.',
  'added-placeholder': 'An empty dialog was appended to stand for an unknown transfer leg.',
  'kept-inline-reference':
    'A legacy redacted or appended object holds the prior vCon inline; it was kept (0.3.0 on refers by uuid/url).',
} as const

/** A stable issue code. */
export type IssueCode = keyof typeof ISSUE_CODES
