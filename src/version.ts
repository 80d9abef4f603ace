/** The agent's version, answered to XEP-0092 and shown by `version`. */
export const VERSION = "0.1.0";
