-- A recorded send is kept and given back whole, never looked inside: json keeps the text as written,
-- where jsonb parsed every card on the way in.
ALTER TABLE "recorded_sends" ALTER COLUMN "job" SET DATA TYPE json;
