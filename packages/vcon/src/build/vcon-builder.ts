/**
 * @module A builder for vCons in the 0.4.0 shape (core draft §4). It keeps its own copies of everything it is
 * given, returns indices so that later objects can point at earlier ones, and `build()` returns a new,
 * deep-frozen vCon that passed strict validation.
 */
import type { ExtensionRegistry } from '../extensions/registry.js'
import type { ContentHash, JsonValue, Party, Vcon } from '../model/vcon.js'
import { isTagsAttachment, readTagsBody, TAGS_PURPOSE, tagsToBody } from '../read/tags.js'
import { isObject, isUuidSyntax } from '../validate/primitives.js'
import {
  type AnalysisOptions,
  type AttachmentOptions,
  makeAnalysis,
  makeAttachment,
} from './analysis-builders.js'
import { assembleVcon, type BuildOptions, type VconParts } from './assemble-vcon.js'
import {
  bad,
  checkText,
  checkUuid,
  type DateInput,
  externalFields,
  toDateString,
} from './builder-checks.js'
import { cloneJson } from './clone-json.js'
import {
  type DialogContext,
  type IncompleteDialogOptions,
  makeIncompleteDialog,
  makeRecordingDialog,
  makeRecordingSet,
  makeTextDialog,
  makeTransferDialog,
  type RecordingDialogOptions,
  type RecordingSetOptions,
  type TextDialogOptions,
  type TransferDialogOptions,
} from './dialog-builders.js'
import { loadVcon } from './load-vcon.js'
import { uuid8 } from './uuid8.js'

/** The domain used for generated uuids when none is given (RFC 6761 reserves `.invalid`). */
export const DEFAULT_UUID_DOMAIN = 'vconkit.invalid'

/** Options of a new builder. */
export interface VconBuilderOptions {
  /** Domain whose SHA-1 goes into the UUIDv8 (core draft §4.1.2); SHOULD match the signer's domain. */
  readonly domain?: string
  /** Use this uuid instead of generating one. */
  readonly uuid?: string
  /** The clock for `created_at`, attachment starts and the uuid timestamp. Defaults to `new Date()`. */
  readonly now?: () => Date
  /** Extensions the built vCon is validated against (defaults to the validator's registry). */
  readonly registry?: ExtensionRegistry
}

/** The tags attachment's placement, needed when the vCon has none yet. */
export interface TagsOptions {
  /** The party that distributed the tags (required for a new tags attachment). */
  readonly party?: number
  readonly dialog?: number
  readonly start?: DateInput
}

type Obj = Record<string, JsonValue>

/** Builds one vCon. Methods that add an item return its index in its array. */
export class VconBuilder {
  readonly #now: () => Date
  readonly #registry: ExtensionRegistry | undefined
  #uuid: string
  #createdAt: string
  #updatedAt: string | undefined
  #subject: string | undefined
  #redacted: Obj | undefined
  #amended: Obj | undefined
  #extensions: string[] = []
  #critical: string[] = []
  #parties: Obj[] = []
  #dialog: Obj[] = []
  #analysis: Obj[] = []
  #attachments: Obj[] = []
  #other: Obj = {}
  /** True for a builder started from an existing vCon: a change then sets `updated_at`. */
  #fromExisting = false
  #changed = false

  constructor(options: VconBuilderOptions = {}) {
    this.#now = options.now ?? (() => new Date())
    this.#registry = options.registry
    this.#createdAt = toDateString(this.#now(), 'now()')
    if (options.uuid !== undefined) {
      if (typeof options.uuid !== 'string' || !isUuidSyntax(options.uuid)) {
        bad('`uuid` must be an 8-4-4-4-12 hexadecimal UUID.')
      }
      this.#uuid = options.uuid.toLowerCase()
    } else {
      const domain = options.domain ?? DEFAULT_UUID_DOMAIN
      this.#uuid = uuid8({
        domain,
        ...(options.now === undefined ? {} : { now: () => this.#now().getTime() }),
      })
    }
  }

  /**
   * Starts from an existing vCon (core draft §4.1): everything is copied and new items are appended, so
   * existing indices stay valid. Keeps the uuid unless `options.uuid` is given; any change sets `updated_at`.
   */
  static fromVcon(vcon: Vcon, options: VconBuilderOptions = {}): VconBuilder {
    if (!isObject(vcon)) bad('`fromVcon` needs a vCon object.')
    const builder = new VconBuilder({ ...options, uuid: options.uuid ?? vcon.uuid })
    // Keep the identity exactly as written (the constructor lowercases uuids it is given).
    if (options.uuid === undefined) builder.#uuid = vcon.uuid
    builder.#load(vcon)
    builder.#fromExisting = true
    return builder
  }

  /**
   * Starts the amended version of `prior` (notes §c): a deep copy with a new uuid, a new `created_at`, and
   * `amended: {uuid}` pointing at the prior version. Append to it; prior indices are kept.
   */
  static amend(
    prior: Vcon,
    options: VconBuilderOptions & {
      readonly url?: string
      readonly contentHash?: ContentHash
    } = {},
  ): VconBuilder {
    if (!isObject(prior)) bad('`amend` needs the prior vCon.')
    const builder = new VconBuilder(options)
    const createdAt = builder.#createdAt
    builder.#load(prior)
    builder.#createdAt = createdAt
    builder.#updatedAt = undefined
    builder.#redacted = undefined
    builder.#amended = undefined
    builder.setAmended({ uuid: prior.uuid, url: options.url, contentHash: options.contentHash })
    return builder
  }

  #load(vcon: Vcon): void {
    const loaded = loadVcon(vcon)
    if (loaded.createdAt !== undefined) this.#createdAt = loaded.createdAt
    this.#updatedAt = loaded.updatedAt
    this.#subject = loaded.subject
    this.#redacted = loaded.redacted
    this.#amended = loaded.amended
    this.#extensions = loaded.extensions
    this.#critical = loaded.critical
    this.#parties = loaded.parties
    this.#dialog = loaded.dialog
    this.#analysis = loaded.analysis
    this.#attachments = loaded.attachments
    this.#other = loaded.other
  }

  /** The uuid the built vCon will carry. */
  get uuid(): string {
    return this.#uuid
  }

  #touch(): void {
    this.#changed = true
  }

  #dialogContext(): DialogContext {
    return { partyCount: this.#parties.length, dialogs: this.#dialog }
  }

  #annexContext() {
    return {
      partyCount: this.#parties.length,
      dialogCount: this.#dialog.length,
      attachmentCount: this.#attachments.length,
    }
  }

  #pushDialog(dialog: Obj): number {
    this.#dialog.push(dialog)
    this.#touch()
    return this.#dialog.length - 1
  }

  /** Adds a party (core draft §4.2); `{}` is an unknown participant. */
  addParty(party: Party): number {
    if (!isObject(party)) bad('`addParty` needs a party object ({} for an unknown participant).')
    this.#parties.push(cloneJson(party, 'addParty') as Obj)
    this.#touch()
    return this.#parties.length - 1
  }

  /** Adds a text dialog (a message, SMS or email). */
  addTextDialog(options: TextDialogOptions): number {
    return this.#pushDialog(makeTextDialog(options, this.#dialogContext()))
  }

  /** Adds a recording, inline (bytes, base64url-encoded) or external (https url + content_hash). */
  addRecordingDialog(options: RecordingDialogOptions): number {
    const dialog = makeRecordingDialog(options, this.#dialogContext())
    const index = this.#pushDialog(dialog)
    if (typeof dialog.recording_set === 'number') {
      // Keep both directions consistent (notes §a.12 item 3).
      const set = this.#dialog[dialog.recording_set] as Obj
      const members = Array.isArray(set.recordings) ? [...set.recordings] : []
      set.recordings = [...members, index]
    }
    return index
  }

  /** Adds a call attempt that did not connect (`incomplete`, with a disposition). */
  addIncompleteDialog(options: IncompleteDialogOptions): number {
    return this.#pushDialog(makeIncompleteDialog(options, this.#dialogContext()))
  }

  /** Adds a transfer; the legs must already exist (use `addPlaceholderDialog()` for an unknown leg). */
  addTransferDialog(options: TransferDialogOptions): number {
    return this.#pushDialog(makeTransferDialog(options, this.#dialogContext()))
  }

  /** Adds a recording-set and sets `recording_set` on each member recording (core-03). */
  addRecordingSet(options: RecordingSetOptions): number {
    const set = makeRecordingSet(options, this.#dialogContext())
    const index = this.#pushDialog(set)
    for (const member of set.recordings as number[]) {
      ;(this.#dialog[member] as Obj).recording_set = index
    }
    return index
  }

  /** Adds an empty dialog `{}`: an unknown transfer leg or a removed dialog (core draft §4.3). */
  addPlaceholderDialog(): number {
    return this.#pushDialog({})
  }

  /** Adds an analysis (core draft §4.5). */
  addAnalysis(options: AnalysisOptions): number {
    this.#analysis.push(makeAnalysis(options, this.#annexContext()))
    this.#touch()
    return this.#analysis.length - 1
  }

  /** Adds an attachment (core draft §4.4); `start` defaults to the builder's clock. */
  addAttachment(options: AttachmentOptions): number {
    this.#attachments.push(makeAttachment(options, this.#annexContext(), this.#now))
    this.#touch()
    return this.#attachments.length - 1
  }

  /**
   * Sets tags in the vCon's one tags attachment, as the Conserver writes it: purpose "tags", encoding
   * "json", body an array of "key:value" strings. Existing tags are kept; a repeated key takes the new value.
   */
  addTags(tags: Readonly<Record<string, string>>, options: TagsOptions = {}): number {
    if (!isObject(tags)) bad('`addTags` needs an object of tag names to string values.')
    const entries = Object.entries(tags)
    for (const [key, value] of entries) {
      if (key.length === 0 || key.includes(':')) {
        bad(
          `\`addTags\`: the tag name ${JSON.stringify(key)} must be non-empty and contain no ":".`,
        )
      }
      if (typeof value !== 'string') bad(`\`addTags.${key}\` must be a string.`)
    }
    let index = this.#attachments.findIndex(isTagsAttachment)
    if (index === -1) {
      if (options.party === undefined) {
        bad(
          '`addTags`: the vCon has no tags attachment yet; pass `{ party }`, the party that set the tags.',
        )
      }
      index = this.addAttachment({
        purpose: TAGS_PURPOSE,
        party: options.party,
        dialog: options.dialog,
        start: options.start,
        body: [],
      })
    }
    const attachment = this.#attachments[index] as Obj
    const merged = new Map<string, string>()
    readTagsBody(attachment.body, merged)
    for (const [key, value] of entries) merged.set(key, value)
    if (attachment.purpose === undefined) attachment.purpose = TAGS_PURPOSE
    attachment.encoding = 'json'
    attachment.body = tagsToBody(merged)
    this.#touch()
    return index
  }

  /** Declares an extension (core draft §2.5); a critical one is also listed in `critical`. */
  useExtension(name: string, options: { readonly critical?: boolean } = {}): this {
    checkText(name, 'useExtension.name')
    if (!this.#extensions.includes(name)) this.#extensions.push(name)
    if (options.critical === true && !this.#critical.includes(name)) this.#critical.push(name)
    this.#touch()
    return this
  }

  /** Sets the subject. */
  setSubject(subject: string): this {
    this.#subject = checkText(subject, 'setSubject')
    this.#touch()
    return this
  }

  /** Marks this vCon as a redaction of a less-redacted version (core draft §4.1.8). */
  setRedacted(ref: {
    readonly uuid?: string
    readonly type: string
    readonly url?: string
    readonly contentHash?: ContentHash
  }): this {
    if (this.#amended !== undefined)
      bad('`setRedacted`: this vCon is already amended; a vCon cannot be both.')
    const out: Obj = {}
    if (ref.uuid !== undefined) out.uuid = checkUuid(ref.uuid, 'setRedacted.uuid')
    out.type = checkText(ref.type, 'setRedacted.type')
    if (ref.url !== undefined)
      Object.assign(out, externalFields(ref.url, ref.contentHash, 'setRedacted'))
    else if (ref.contentHash !== undefined)
      bad('`setRedacted.contentHash` only applies with a url.')
    this.#redacted = out
    this.#touch()
    return this
  }

  /** Marks this vCon as an amendment of a prior version (core draft §4.1.9). */
  setAmended(ref: {
    readonly uuid: string
    readonly url?: string
    readonly contentHash?: ContentHash
  }): this {
    if (this.#redacted !== undefined)
      bad('`setAmended`: this vCon is already redacted; a vCon cannot be both.')
    const out: Obj = { uuid: checkUuid(ref.uuid, 'setAmended.uuid') }
    if (ref.url !== undefined)
      Object.assign(out, externalFields(ref.url, ref.contentHash, 'setAmended'))
    else if (ref.contentHash !== undefined) bad('`setAmended.contentHash` only applies with a url.')
    this.#amended = out
    this.#touch()
    return this
  }

  /**
   * Returns the vCon: a new, deep-frozen object, validated (strict unless told otherwise). Throws VconError
   * VCON_INVALID with every issue when validation finds an error. The builder stays usable afterwards.
   */
  build(options: BuildOptions = {}): Vcon {
    const updatedAt =
      this.#fromExisting && this.#changed ? toDateString(this.#now(), 'now()') : this.#updatedAt
    const parts: VconParts = {
      uuid: this.#uuid,
      createdAt: this.#createdAt,
      updatedAt,
      subject: this.#subject,
      redacted: this.#redacted,
      amended: this.#amended,
      extensions: this.#extensions,
      critical: this.#critical,
      parties: this.#parties,
      dialog: this.#dialog,
      analysis: this.#analysis,
      attachments: this.#attachments,
      other: this.#other,
    }
    return assembleVcon(parts, options.mode ?? 'strict', this.#registry)
  }
}
