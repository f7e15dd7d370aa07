// The destructive-change gate: compares a synthesized cloud assembly with committed baseline
// templates and fails when a stateful resource would be replaced, destroyed, orphaned or have
// its stored value regenerated without an acknowledgement.
export {
  ACKNOWLEDGEMENTS_FILE_NAME,
  MIN_ACKNOWLEDGEMENT_REASON_LENGTH,
  isAcknowledgementExpired,
  loadGateAcknowledgements,
  parseGateAcknowledgements,
  validateGateAcknowledgements,
} from './acknowledgements';
export { BASELINE_TEMPLATE_SUFFIX, writeBaseline, type BaselineUpdate, type WriteBaselineOptions } from './baseline';
export { compareAssemblies, type CompareAssembliesOptions } from './compare';
export { GateInputError } from './errors';
export {
  GATE_EXIT_BLOCKED,
  GATE_EXIT_INPUT_ERROR,
  GATE_EXIT_PASSED,
  formatBaselineUpdate,
  formatGateReport,
  gateExitCode,
  type FormatGateReportOptions,
} from './format';
export { STATEFUL_RESOURCE_TYPES, findStatefulResourceType, isStatefulResourceType, type StatefulResourceType } from './stateful-types';
export { type ValueRewritingProperty, VALUE_REWRITING_PROPERTIES, findValueRewritingProperty } from './stored-values';
export { EPHEMERAL_LIFECYCLE, constructPathOf, type TemplateResource } from './templates';
export {
  UPDATE_BEHAVIOUR_EXCEPTIONS,
  findUpdateBehaviourException,
  type DocumentedUpdate,
  type PropertyChange,
  type UpdateBehaviour,
  type UpdateBehaviourException,
} from './update-behaviour';
export * from './types';
export * from './ephemeral';
