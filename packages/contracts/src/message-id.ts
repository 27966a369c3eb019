/**
 * The MQTT 5 user property that carries a message's stable application id. The edge stamps it when
 * a message enters its outbox; redeliveries carry the same id, so the server can drop them.
 */
export const MESSAGE_ID_PROPERTY = 'iotgw-msg-id';
