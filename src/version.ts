/** The tool version recorded in datasets and runs. Kept in sync with package.json by a test. */
export const TOOL_VERSION = '0.1.0';
