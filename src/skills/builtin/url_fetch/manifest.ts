/**
 * The `url_fetch` manifest. Fetching any public URL is a wide network capability, so it
 * says so (`network = ["*"]`) and runs process-isolated: a `deno run` child with
 * unrestricted net but no read, write or env, so the agent's own grant stays narrow.
 */
export const URL_FETCH_MANIFEST = `
name = "url_fetch"
description = """Fetch a web page or text file by URL (http or https) and return its readable \\
text: the main content without navigation, cut to a length limit. Use it to read a link the \\
user gives or one found by web_search."""
isolation = "process"

[parameters]
type = "object"
required = ["url"]
additionalProperties = false

[parameters.properties.url]
type = "string"
description = "The absolute http or https URL to fetch"
minLength = 8
maxLength = 2048

[capabilities]
network = ["*"]
timeout_secs = 30
memory_mb = 256
`;
