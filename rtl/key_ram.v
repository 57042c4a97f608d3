// key_ram.v - the key RAM: one slot per SA holding the expanded AES key, the GHASH subkey and the
// RFC 4106 salt; the RTL twin of hwmodel/key_ram.[ch].
//
// Ports
//   write: wr_i with wr_slot_i, wr_keymat_i (RFC 4106 key material key || 4-byte salt, byte 0 at
//          bits [287 -: 8], left-aligned), wr_len_i (20/28/36). Taken while busy_o = 0. The
//          write runs FIPS-197 KeyExpansion one word per cycle and H = E_K(0^128) one round per
//          cycle on one aes_round, in work registers; the slot is stored whole in the last cycle,
//          so until then a read of the slot returns its old contents (as key_ram_write() builds
//          the slot aside and stores it whole).
//   free:  free_i with free_slot_i zeroes the slot (key, round keys, H, salt, valid). Taken while
//          busy_o = 0; free_i wins over a wr_i in the same cycle.
//   done_o pulses when a write or free has finished (the slot reads its new contents from that
//          cycle on); err_o comes with it when the request was refused and nothing changed:
//          slot >= Slots (C: -ERANGE) or wr_len_i not 20/28/36 (C: -EINVAL).
//   read:  rd_slot_i -> rd_valid_o, rd_ks_o (rk[0..14] as aes_pipe's ks_i), rd_nr_o, rd_h_o,
//          rd_salt_o: combinational, the GCM engines' datapath read port (key_ram_slot_dp()).
//          All zero for a slot out of range or not valid (C: NULL).
// There is deliberately no port that returns key material anywhere else (keys never leave the
// card): the CSR side only writes and frees.
//
// Write latency (s = the cycle wr_i is taken, Nk = key bytes / 4, nr = Nk + 6):
//   s                       load the key words w[0..Nk-1], salt, slot
//   s+1 .. s+4(nr+1)-Nk     one round-key word w[i] per cycle, i = Nk .. 4(nr+1)-1
//   next nr cycles          H: one AES round per cycle on the zero block; the last cycle stores
//                           the slot
//   done_o at s + 4(nr+1) - Nk + nr + 1: 51 (AES-128), 59 (AES-192), 67 (AES-256) cycles.
// A free or a refused request gives done_o at s + 1. The C model applies a write at once; the
// difference is covered by the CSR handshake (firmware waits for done before using the slot).
module key_ram #(
  parameter integer Slots     = 8,  // key_ram_create(n)
  parameter integer SlotWidth = 32, // slot index ports (uint32_t slot)
  parameter integer NrMax     = 14  // rk[0..NrMax] (AES_MAX_NR)
) (
  input  wire                     clk_i,
  input  wire                     rst_ni,
  // write / free (CSR side)
  input  wire                     wr_i,
  input  wire [SlotWidth-1:0]     wr_slot_i,
  input  wire [287:0]             wr_keymat_i,
  input  wire [5:0]               wr_len_i,
  input  wire                     free_i,
  input  wire [SlotWidth-1:0]     free_slot_i,
  output wire                     busy_o,
  output wire                     done_o,
  output wire                     err_o,
  // datapath read port (GCM engines)
  input  wire [SlotWidth-1:0]     rd_slot_i,
  output wire                     rd_valid_o,
  output wire [(NrMax+1)*128-1:0] rd_ks_o,
  output wire [3:0]               rd_nr_o,
  output wire [127:0]             rd_h_o,
  output wire [31:0]              rd_salt_o
);

  localparam integer IdxW   = (Slots > 1) ? $clog2(Slots) : 1;
  localparam integer KsW    = (NrMax + 1) * 128;
  localparam [1:0]   StIdle = 2'd0;
  localparam [1:0]   StExp  = 2'd1; // KeyExpansion, one word per cycle
  localparam [1:0]   StHash = 2'd2; // H = E_K(0), one round per cycle

  // ---- slot storage ------------------------------------------------------------------------
  reg [KsW-1:0] slot_ks_q    [0:Slots-1];
  reg [3:0]     slot_nr_q    [0:Slots-1];
  reg [127:0]   slot_h_q     [0:Slots-1];
  reg [31:0]    slot_salt_q  [0:Slots-1];
  reg [Slots-1:0] slot_valid_q;

  // ---- write engine registers --------------------------------------------------------------
  reg [1:0]     state_q, state_d;
  reg [IdxW-1:0] slot_q, slot_d;     // slot being written
  reg [KsW-1:0] wks_q, wks_d;        // round keys being built
  reg [3:0]     nr_q, nr_d;
  reg [3:0]     nk_q, nk_d;          // key words: 4/6/8
  reg [5:0]     wi_q, wi_d;          // next word index i
  reg [2:0]     wj_q, wj_d;          // i mod Nk
  reg [7:0]     rcon_q, rcon_d;
  reg [127:0]   hst_q, hst_d;        // H computation state
  reg [3:0]     rnd_q, rnd_d;        // round being applied
  reg [31:0]    salt_q, salt_d;
  reg           done_q, done_d;
  reg           err_q, err_d;
  // storage writes
  reg           st_we, st_clear;
  reg [IdxW-1:0] st_idx;
  reg [127:0]   h_new;

  // ---- the round function: SubWord during KeyExpansion, a full round during H ----------------
  reg  [127:0] rnd_in, rnd_rk;
  reg          rnd_final;
  wire [127:0] rnd_out;

  aes_round u_round (
    .state_i (rnd_in),
    .rk_i    (rnd_rk),
    .final_i (rnd_final),
    .state_o (rnd_out)
  );

  // Bit offset of round-key word i in a ks vector: rk[i/4] at [128(i/4) +: 128], word i%4 of it
  // is bytes 4(i%4).. , i.e. bits [128(i/4) + 32(3 - i%4) +: 32].
  function integer wpos;
    input [5:0] i;
    begin
      wpos = 128 * {26'd0, i[5:2]} + 32 * (3 - {30'd0, i[1:0]});
    end
  endfunction

  function [7:0] xtime;
    input [7:0] a;
    begin
      xtime = {a[6:0], 1'b0} ^ (a[7] ? 8'h1b : 8'h00);
    end
  endfunction

  wire wr_len_ok = (wr_len_i == 6'd20) || (wr_len_i == 6'd28) || (wr_len_i == 6'd36);
  wire wr_in_range   = wr_slot_i < Slots;
  wire free_in_range = free_slot_i < Slots;

  reg [31:0] w_prev, w_back, temp;
  reg        last_word;

  // The round's input, from registers only (its own block: the next-state block reads rnd_out).
  wire [31:0] w_last = wks_q[wpos(wi_q - 6'd1) +: 32]; // w[i-1]
  always @* begin
    rnd_in    = {4{w_last[23:0], w_last[31:24]}};      // SubWord(RotWord(w[i-1])), i mod Nk = 0
    rnd_rk    = 128'd0;
    rnd_final = 1'b1;
    if (state_q == StExp && nk_q == 4'd8 && wj_q == 3'd4)
      rnd_in = {4{w_last}};                            // SubWord(w[i-1]), AES-256, i mod 8 = 4
    else if (state_q == StHash) begin
      rnd_in    = hst_q;
      rnd_rk    = wks_q[128 * rnd_q +: 128];
      rnd_final = rnd_q == nr_q;
    end
  end

  always @* begin
    state_d   = state_q;
    slot_d    = slot_q;
    wks_d     = wks_q;
    nr_d      = nr_q;
    nk_d      = nk_q;
    wi_d      = wi_q;
    wj_d      = wj_q;
    rcon_d    = rcon_q;
    hst_d     = hst_q;
    rnd_d     = rnd_q;
    salt_d    = salt_q;
    done_d    = 1'b0;
    err_d     = err_q;
    st_we     = 1'b0;
    st_clear  = 1'b0;
    st_idx    = slot_q;
    h_new     = rnd_out;
    w_prev    = w_last;
    w_back    = wks_q[wpos(wi_q - {2'd0, nk_q}) +: 32];
    temp      = w_prev;
    last_word = wi_q == {nr_q, 2'b11};                    // i = 4(nr+1) - 1

    case (state_q)
      StIdle: begin
        if (free_i) begin
          done_d = 1'b1;
          err_d  = !free_in_range;
          if (free_in_range) begin
            st_clear = 1'b1;
            st_idx   = free_slot_i[IdxW-1:0];
          end
        end else if (wr_i) begin
          if (!wr_in_range || !wr_len_ok) begin
            done_d = 1'b1;
            err_d  = 1'b1;
          end else begin
            err_d   = 1'b0;
            slot_d  = wr_slot_i[IdxW-1:0];
            // key bytes 0..15 -> rk[0], 16..31 -> rk[1]; bytes past the key are zero
            wks_d   = {KsW{1'b0}};
            wks_d[127:0] = wr_keymat_i[287:160];
            case (wr_len_i)
              6'd20: begin
                nk_d = 4'd4; nr_d = 4'd10; salt_d = wr_keymat_i[159:128];
              end
              6'd28: begin
                nk_d = 4'd6; nr_d = 4'd12; salt_d = wr_keymat_i[95:64];
                wks_d[255:192] = wr_keymat_i[159:96];
              end
              default: begin
                nk_d = 4'd8; nr_d = 4'd14; salt_d = wr_keymat_i[31:0];
                wks_d[255:128] = wr_keymat_i[159:32];
              end
            endcase
            wi_d    = {2'd0, nk_d};
            wj_d    = 3'd0;
            rcon_d  = 8'h01;
            state_d = StExp;
          end
        end
      end

      StExp: begin
        // FIPS-197 5.2: temp = w[i-1]; i mod Nk = 0: SubWord(RotWord(temp)) ^ Rcon;
        // Nk = 8 and i mod Nk = 4: SubWord(temp); w[i] = w[i-Nk] ^ temp
        if (wj_q == 3'd0) begin
          temp   = rnd_out[127:96] ^ {rcon_q, 24'd0};
          rcon_d = xtime(rcon_q);
        end else if (nk_q == 4'd8 && wj_q == 3'd4) begin
          temp   = rnd_out[127:96];
        end
        wks_d[wpos(wi_q) +: 32] = w_back ^ temp;
        wi_d = wi_q + 6'd1;
        wj_d = ({1'b0, wj_q} + 4'd1 == nk_q) ? 3'd0 : wj_q + 3'd1;
        if (last_word) begin
          hst_d   = wks_q[127:0]; // round 0: 0^128 ^ rk[0] (rk[0] is done: Nk >= 4)
          rnd_d   = 4'd1;
          state_d = StHash;
        end
      end

      StHash: begin
        hst_d     = rnd_out;
        rnd_d     = rnd_q + 4'd1;
        if (rnd_q == nr_q) begin
          st_we   = 1'b1; // the slot is stored whole, with H = this round's output
          done_d  = 1'b1;
          state_d = StIdle;
        end
      end

      default: state_d = StIdle;
    endcase
  end

  integer k;
  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= StIdle;
      slot_q       <= {IdxW{1'b0}};
      wks_q        <= {KsW{1'b0}};
      nr_q         <= 4'd0;
      nk_q         <= 4'd0;
      wi_q         <= 6'd0;
      wj_q         <= 3'd0;
      rcon_q       <= 8'd0;
      hst_q        <= 128'd0;
      rnd_q        <= 4'd0;
      salt_q       <= 32'd0;
      done_q       <= 1'b0;
      err_q        <= 1'b0;
      slot_valid_q <= {Slots{1'b0}};
      for (k = 0; k < Slots; k = k + 1) begin
        slot_ks_q[k]   <= {KsW{1'b0}};
        slot_nr_q[k]   <= 4'd0;
        slot_h_q[k]    <= 128'd0;
        slot_salt_q[k] <= 32'd0;
      end
    end else begin
      state_q <= state_d;
      slot_q  <= slot_d;
      wks_q   <= wks_d;
      nr_q    <= nr_d;
      nk_q    <= nk_d;
      wi_q    <= wi_d;
      wj_q    <= wj_d;
      rcon_q  <= rcon_d;
      hst_q   <= hst_d;
      rnd_q   <= rnd_d;
      salt_q  <= salt_d;
      done_q  <= done_d;
      err_q   <= err_d;
      if (st_we || st_clear) begin
        slot_ks_q[st_idx]    <= st_we ? wks_q : {KsW{1'b0}};
        slot_nr_q[st_idx]    <= st_we ? nr_q : 4'd0;
        slot_h_q[st_idx]     <= st_we ? h_new : 128'd0;
        slot_salt_q[st_idx]  <= st_we ? salt_q : 32'd0;
        slot_valid_q[st_idx] <= st_we;
      end
    end
  end

  // ---- outputs -------------------------------------------------------------------------------
  wire            rd_in_range = rd_slot_i < Slots;
  wire [IdxW-1:0] rd_idx      = rd_slot_i[IdxW-1:0];
  wire            rd_hit      = rd_in_range && slot_valid_q[rd_idx];

  assign busy_o     = state_q != StIdle;
  assign done_o     = done_q;
  assign err_o      = err_q;
  assign rd_valid_o = rd_hit;
  assign rd_ks_o    = rd_hit ? slot_ks_q[rd_idx] : {KsW{1'b0}};
  assign rd_nr_o    = rd_hit ? slot_nr_q[rd_idx] : 4'd0;
  assign rd_h_o     = rd_hit ? slot_h_q[rd_idx] : 128'd0;
  assign rd_salt_o  = rd_hit ? slot_salt_q[rd_idx] : 32'd0;

endmodule
