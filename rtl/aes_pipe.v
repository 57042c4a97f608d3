// aes_pipe.v - AES-128/192/256 encryption pipeline (FIPS-197), the RTL twin of struct aes_pipe in
// hwmodel/aes_core.[ch].
//
// NrMax (14) stage registers; stage s applies round s+1, round 0 (AddRoundKey with rk[0]) is
// folded into the input. A round is SubBytes, ShiftRows, MixColumns, AddRoundKey; the stage that
// applies round nr (stage nr-1) is the final round, without MixColumns. nr comes with the key
// (ks_nr_i = 10/12/14, as struct aes_ks.nr); the output is stage nr-1, the unused tail stages stay
// idle (valid 0), so the latency is nr cycles for every key size.
//
// Timing (as the C model): a block offered with in_valid_i in cycle t (en_i = 1) is in stage s at
// cycle t + 1 + s and on out_*_o at cycle t + nr. en_i = 0 freezes every stage and nothing enters.
// Nothing moves while ks_nr_i = 0 (no key). ks_i and ks_nr_i must be stable while any stage is
// valid. Outputs are Moore: stage nr-1's registers, selected by ks_nr_i. out_tag_o and out_data_o
// are don't-care while out_valid_o = 0 (an empty stage's state and tag are not written).
//
// Byte order: byte i of a 16-byte block (state byte 0 = first byte of the block, FIPS-197 input
// order, column-major: byte r + 4c is row r, column c) is bits [127-8i -: 8], so a 128-bit hex
// literal reads like the FIPS-197 hex string. Round key r (struct aes_ks.rk[r]) is
// ks_i[128*r +: 128] with the same byte order inside.
module aes_pipe #(
  parameter integer NrMax    = 14, // stage registers; the largest nr (AES-256)
  parameter integer TagWidth = 32  // struct aes_stage.tag (uint32_t)
) (
  input  wire                      clk_i,
  input  wire                      rst_ni,
  input  wire [(NrMax+1)*128-1:0]  ks_i,       // rk[0..NrMax], rk[r] at [128*r +: 128]
  input  wire [3:0]                ks_nr_i,    // struct aes_ks.nr: 10/12/14, 0 = no key
  input  wire                      en_i,       // 0: every stage holds (stall)
  input  wire                      in_valid_i,
  input  wire [TagWidth-1:0]       in_tag_i,
  input  wire [127:0]              in_data_i,
  output reg                       out_valid_o,
  output reg  [TagWidth-1:0]       out_tag_o,
  output reg  [127:0]              out_data_o
);

  // ---- stage registers (struct aes_stage q[]) -------------------------------------------------
  reg [NrMax-1:0]    valid_q, valid_d;
  reg [NrMax-1:0]    we;                       // stage s takes a block this cycle
  reg [127:0]        state_q [0:NrMax-1];
  reg [127:0]        state_d [0:NrMax-1];
  reg [TagWidth-1:0] tag_q   [0:NrMax-1];
  reg [TagWidth-1:0] tag_d   [0:NrMax-1];

  // The pipe moves when enabled and a key is present (the C model also skips an empty pipe; moving
  // an empty pipe only shifts zero valid bits, the same result).
  wire move = en_i && (ks_nr_i != 4'd0);

  // ---- one round per stage (aes_round.v): stage 0 takes the input with round 0 (AddRoundKey rk[0])
  // folded in, stage s > 0 the state of stage s-1; the stage that applies round nr is final.
  wire [127:0] round_out [0:NrMax-1];
  genvar g;
  generate
    for (g = 0; g < NrMax; g = g + 1) begin : g_stage
      if (g == 0) begin : g_first
        aes_round u_round (.state_i(in_data_i ^ ks_i[127:0]), .rk_i(ks_i[255:128]),
                           .final_i(1'b0), .state_o(round_out[g]));
      end else begin : g_next
        aes_round u_round (.state_i(state_q[g-1]), .rk_i(ks_i[128 * (g + 1) +: 128]),
                           .final_i((g + 1) == {28'd0, ks_nr_i}), .state_o(round_out[g]));
      end
    end
  endgenerate

  integer s;
  always @* begin
    for (s = 0; s < NrMax; s = s + 1) begin
      if (s == 0) begin
        valid_d[s] = in_valid_i;
        tag_d[s]   = in_tag_i;
      end else begin
        // stages at or past nr are idle: nothing enters them
        valid_d[s] = valid_q[s-1] && (s < {28'd0, ks_nr_i});
        tag_d[s]   = tag_q[s-1];
      end
      state_d[s] = round_out[s];
      we[s] = move && valid_d[s];
    end
  end

  integer k;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= {NrMax{1'b0}};
      for (k = 0; k < NrMax; k = k + 1) begin
        state_q[k] <= 128'd0;
        tag_q[k]   <= {TagWidth{1'b0}};
      end
    end else begin
      if (move)
        valid_q <= valid_d;
      for (k = 0; k < NrMax; k = k + 1) begin
        if (we[k]) begin
          state_q[k] <= state_d[k];
          tag_q[k]   <= tag_d[k];
        end
      end
    end
  end

  // ---- output: stage nr-1 (aes_pipe_out()) ----------------------------------------------------
  integer o;
  always @* begin
    out_valid_o = 1'b0;
    out_tag_o   = {TagWidth{1'b0}};
    out_data_o  = 128'd0;
    for (o = 0; o < NrMax; o = o + 1) begin
      if ((o + 1) == {28'd0, ks_nr_i}) begin
        out_valid_o = valid_q[o];
        out_tag_o   = tag_q[o];
        out_data_o  = state_q[o];
      end
    end
  end

endmodule
