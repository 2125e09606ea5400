// Every provider --verify knows, by the name rules use in their `verify` field.
import { anthropic } from "./anthropic.js";
import { aws } from "./aws.js";
import type { Provider } from "./common.js";
import { discord } from "./discord.js";
import { github } from "./github.js";
import { gitlab } from "./gitlab.js";
import { huggingface } from "./huggingface.js";
import { npm } from "./npm.js";
import { openai } from "./openai.js";
import { sendgrid } from "./sendgrid.js";
import { slack } from "./slack.js";
import { stripe } from "./stripe.js";
import { telegram } from "./telegram.js";
import { twilio } from "./twilio.js";

export const providers: ReadonlyMap<string, Provider> = new Map(
  [openai, anthropic, github, gitlab, slack, stripe, aws, huggingface, npm, sendgrid, telegram, discord, twilio].map(
    (provider) => [provider.name, provider],
  ),
);
