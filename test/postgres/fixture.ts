/**
 * The populated schema the lock-model test runs statements against: a parent (`accounts`) and a child
 * (`orders`) with rows, indexes, a NOT VALID foreign key and check, plus the objects the other statement
 * kinds need (partitions, a materialized view, an enum, a trigger, an empty and an unlogged table).
 *
 * The same text is given to the SQL front end ahead of each case's statement, so the front end knows
 * what a migration that created these objects would know (column types, index tables, constraint kinds).
 */
export const SCHEMA = 'mlfx';

export const FIXTURE_SQL = `
DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE;
CREATE SCHEMA ${SCHEMA};
SET search_path = ${SCHEMA};
CREATE TABLE accounts (
  id bigint PRIMARY KEY,
  email varchar(50) NOT NULL,
  name text,
  nn int,
  created timestamp,
  amount numeric(10,2),
  net cidr
);
INSERT INTO accounts SELECT g, 'u' || g || '@example.com', 'n' || g, g, now(), g, '10.0.0.0/8'
  FROM generate_series(1, 200) g;
CREATE INDEX accounts_name_idx ON accounts (name);
ALTER TABLE accounts ADD CONSTRAINT accounts_nn_check CHECK (nn IS NOT NULL);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  account_id bigint NOT NULL,
  qty int NOT NULL,
  note varchar(20),
  status text
);
INSERT INTO orders SELECT g, 1 + g % 200, g, 'n', 's' FROM generate_series(1, 500) g;
CREATE INDEX orders_qty_idx ON orders (qty);
ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_qty_check CHECK (qty > 0) NOT VALID;
CREATE TABLE events (id int NOT NULL, payload text);
INSERT INTO events SELECT g, 'p' FROM generate_series(1, 100) g;
CREATE UNIQUE INDEX events_id_uidx ON events (id);
CREATE TABLE empty_t (id int);
CREATE UNLOGGED TABLE staging (id int);
INSERT INTO staging SELECT g FROM generate_series(1, 50) g;
CREATE TABLE parts (id int, k int) PARTITION BY LIST (k);
CREATE TABLE parts_1 PARTITION OF parts FOR VALUES IN (1);
CREATE TABLE parts_2 (id int, k int);
INSERT INTO parts_2 VALUES (1, 2);
CREATE MATERIALIZED VIEW event_counts AS SELECT id, count(*) AS n FROM events GROUP BY id;
CREATE UNIQUE INDEX event_counts_id ON event_counts (id);
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE FUNCTION noop_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER events_noop BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION noop_trigger();
ANALYZE accounts, orders, events, staging, parts_2;
`;
