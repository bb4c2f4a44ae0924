/** The messages the bot sends, as Lark's send API takes them: a type and its content. */

export const textMessage = (text: string) => ({ msgType: 'text' as const, content: { text } });

/** A card (JSON 2.0, built by the features in bot/) as an interactive message. */
export const cardMessage = (card: object) => ({ msgType: 'interactive' as const, content: card as Record<string, unknown> });

/** A file message: the file_key of an upload (LarkApi.uploadFile). */
export const fileMessage = (fileKey: string) => ({ msgType: 'file' as const, content: { file_key: fileKey } });

export type OutgoingMessage = ReturnType<typeof textMessage> | ReturnType<typeof cardMessage> | ReturnType<typeof fileMessage>;
