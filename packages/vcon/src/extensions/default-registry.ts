/**
 * @module The extensions this library supports out of the box (notes §e): the registry that `critical` is
 * enforced against and whose modules validate extension data.
 */
import { agentSessionExtension } from './agent-session.js'
import { consentExtension } from './consent-legacy.js'
import { lawfulBasisExtension } from './lawful-basis.js'
import { ExtensionRegistry } from './registry.js'
import { sipSignalingExtension } from './sip-signaling.js'
import { wtfTranscriptionExtension } from './wtf-transcription.js'

/**
 * lawful_basis, wtf_transcription (alias wtf), agent_session, sip-signaling, and read-only consent-00.
 * Add an application's own modules with `defaultRegistry.with(...)`.
 */
export const defaultRegistry = new ExtensionRegistry([
  lawfulBasisExtension,
  wtfTranscriptionExtension,
  agentSessionExtension,
  sipSignalingExtension,
  consentExtension,
])
